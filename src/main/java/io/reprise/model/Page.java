package io.reprise.model;

import java.util.List;

/** One page of results; {@code nextPageToken} is null on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {}
