package io.reprise.model;

import java.util.List;

/** Which lifecycle stages a search returns. */
public enum ViewType {
    ACTIVE_ONLY(1, List.of(LifecycleStage.ACTIVE)),
    DELETED_ONLY(2, List.of(LifecycleStage.DELETED)),
    ALL(3, List.of(LifecycleStage.ACTIVE, LifecycleStage.DELETED));

    private final int number;
    private final List<LifecycleStage> stages;

    ViewType(int number, List<LifecycleStage> stages) {
        this.number = number;
        this.stages = stages;
    }

    public List<LifecycleStage> stages() {
        return stages;
    }

    /** Parses a name or proto number, or returns null when it is neither. */
    public static ViewType parse(String value) {
        for (ViewType v : values()) {
            if (v.name().equals(value) || String.valueOf(v.number).equals(value)) {
                return v;
            }
        }
        return null;
    }
}
