package io.reprise.model;

import java.util.Locale;

/** Whether an experiment or run is live or soft-deleted; MLflow writes it lower-case. */
public enum LifecycleStage {
    ACTIVE,
    DELETED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LifecycleStage fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
