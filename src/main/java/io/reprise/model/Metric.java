package io.reprise.model;

/** One point of a metric's history. NaN is kept; infinities are clamped by the tracking service. */
public record Metric(String key, double value, long timestamp, long step) {}
