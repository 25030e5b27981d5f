package io.reprise.model;

import java.util.List;

/**
 * An MLflow 3.x logged model: a model version with its own id and artifact folder, optionally
 * produced by a run ({@code sourceRunId}). Tags and params are sorted by key; metrics are every
 * point runs logged for it.
 */
public record LoggedModel(
        String modelId,
        String experimentId,
        String name,
        String artifactLocation,
        long creationTimestampMs,
        long lastUpdatedTimestampMs,
        LoggedModelStatus status,
        LifecycleStage lifecycleStage,
        String modelType,
        String sourceRunId,
        String statusMessage,
        List<Tag> tags,
        List<Param> params,
        List<ModelMetric> metrics) {}
