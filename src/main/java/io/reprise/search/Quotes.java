package io.reprise.search;

import io.reprise.model.MlflowException;

/** MLflow's quote handling: it strips one pair of outer quotes and never unescapes the inside. */
final class Quotes {
    private Quotes() {}

    static boolean isQuoted(String value, char quote) {
        return value.length() >= 2 && value.charAt(0) == quote && value.charAt(value.length() - 1) == quote;
    }

    static String trimBackticks(String value) {
        return isQuoted(value, '`') ? trimEnds(value) : value;
    }

    /** Strips single or double quotes if present. */
    static String strip(String value) {
        return isQuoted(value, '\'') || isQuoted(value, '"') ? trimEnds(value) : value;
    }

    /** Strips single or double quotes, which a string value must have. */
    static String stripRequired(String value) {
        if (isQuoted(value, '\'') || isQuoted(value, '"')) {
            return trimEnds(value);
        }
        throw MlflowException.invalid(
                "Parameter value is either not quoted or unidentified quote types used for string value %s. Use"
                        + " either single or double quotes.",
                value);
    }

    private static String trimEnds(String value) {
        return value.substring(1, value.length() - 1);
    }
}
