package io.reprise.store;

import io.reprise.model.ViewType;
import java.util.List;

/** A search-experiments request; filter and pageToken may be null. */
public record ExperimentQuery(
        String filter, ViewType viewType, int maxResults, List<String> orderBy, String pageToken) {}
