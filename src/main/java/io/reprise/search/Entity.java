package io.reprise.search;

/** What a filter clause or sort key looks at; {@link #wire()} is MLflow's canonical name. */
public enum Entity {
    METRIC("metric"),
    PARAM("parameter"),
    TAG("tag"),
    ATTRIBUTE("attribute"),
    DATASET("dataset");

    private final String wire;

    Entity(String wire) {
        this.wire = wire;
    }

    /** The name MLflow uses in its messages, and a valid prefix in a filter. */
    public String wire() {
        return wire;
    }
}
