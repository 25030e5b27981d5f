package io.reprise.store;

import io.reprise.model.Page;
import java.util.List;

/** MLflow's SQL paging: fetch one row more than asked, and give a token only if it came back. */
final class Pages {
    private Pages() {}

    static <T> Page<T> of(List<T> fetched, int maxResults, int offset) {
        if (fetched.size() > maxResults) {
            return new Page<>(fetched.subList(0, maxResults), PageToken.encodeOffset(offset + maxResults));
        }
        return new Page<>(fetched, null);
    }
}
