package io.reprise.model;

import java.util.List;

/** An experiment as MLflow returns it. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        LifecycleStage lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        List<Tag> tags) {}
