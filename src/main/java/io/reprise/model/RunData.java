package io.reprise.model;

import java.util.List;

/** A run's params, tags and the latest value of each metric. */
public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {}
