package io.reprise.store;

import java.util.List;

/** A search-logged-models request: experiments, MLflow's logged-model filter, sort keys and a page. */
public record LoggedModelQuery(
        List<String> experimentIds, String filter, List<Order> orderBy, int maxResults, String pageToken) {

    /** One sort key: a column name (or alias) of the model, or {@code metrics.<name>}. */
    public record Order(String fieldName, boolean ascending) {}
}
