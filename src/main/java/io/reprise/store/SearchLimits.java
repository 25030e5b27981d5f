package io.reprise.store;

import io.reprise.model.MlflowException;

/** MLflow's bounds on {@code max_results} for searches ({@code _validate_max_results_param}). */
final class SearchLimits {
    static final int MAX_RESULTS_THRESHOLD = 50_000;

    private SearchLimits() {}

    static void checkMaxResults(int maxResults) {
        if (maxResults < 1) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer", maxResults);
        }
        if (maxResults > MAX_RESULTS_THRESHOLD) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be at most %d",
                    maxResults, MAX_RESULTS_THRESHOLD);
        }
    }
}
