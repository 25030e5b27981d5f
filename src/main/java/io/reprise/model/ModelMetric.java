package io.reprise.model;

/**
 * A metric point linked to a logged model: logged by a run with a {@code model_id}, optionally on
 * a dataset (name and digest may be null).
 */
public record ModelMetric(String modelId, String runId, String datasetName, String datasetDigest, Metric metric) {}
