package io.reprise.search;

import java.util.Optional;

/** The comparators MLflow's search accepts, each with its spelling in a filter string. */
public enum Comparator {
    EQ("="),
    NE("!="),
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN"),
    IS_NULL("IS NULL"),
    IS_NOT_NULL("IS NOT NULL");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The comparator spelt exactly {@code symbol} (already upper-cased where MLflow does so). */
    static Optional<Comparator> of(String symbol) {
        for (Comparator c : values()) {
            if (c.symbol.equals(symbol)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** True for the comparators that take a list: IN and NOT IN. */
    public boolean takesList() {
        return this == IN || this == NOT_IN;
    }
}
