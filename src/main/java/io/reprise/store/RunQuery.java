package io.reprise.store;

import io.reprise.model.ViewType;
import java.util.List;

/** A search-runs request; filter and pageToken may be null. */
public record RunQuery(
        List<String> experimentIds,
        String filter,
        ViewType viewType,
        int maxResults,
        List<String> orderBy,
        String pageToken) {}
