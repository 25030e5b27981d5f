package io.reprise.reproduce;

import java.util.Locale;

/**
 * How far a reproduced metric may be from the original: {@code |a - b| <= abs + rel * |original|},
 * as numpy's isclose. The default, zero and zero, is exact equality (NaN equals NaN).
 */
public record Tolerance(double rel, double abs) {
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /** Parses {@code rel:1e-6} or {@code abs:0.01}; throws IllegalArgumentException with a hint. */
    public static Tolerance parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("tolerance '" + spec + "' must be rel:NUMBER or abs:NUMBER");
        }
        String kind = spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        double value;
        try {
            value = Double.parseDouble(spec.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "tolerance '" + spec + "': '" + spec.substring(colon + 1) + "' is not a number");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("tolerance '" + spec + "' must be a finite number >= 0");
        }
        return switch (kind) {
            case "rel" -> new Tolerance(value, 0);
            case "abs" -> new Tolerance(0, value);
            default -> throw new IllegalArgumentException("tolerance '" + spec + "' must start with rel: or abs:");
        };
    }

    boolean accepts(double original, double reproduced) {
        if (Double.isNaN(original) || Double.isNaN(reproduced)) {
            return Double.isNaN(original) && Double.isNaN(reproduced);
        }
        if (original == reproduced) { // also equal infinities
            return true;
        }
        return Math.abs(original - reproduced) <= abs + rel * Math.abs(original);
    }

    boolean exact() {
        return rel == 0 && abs == 0;
    }

    @Override
    public String toString() {
        if (exact()) {
            return "exact";
        }
        return (rel > 0 ? "rel " + rel : "") + (rel > 0 && abs > 0 ? " + " : "") + (abs > 0 ? "abs " + abs : "");
    }
}
