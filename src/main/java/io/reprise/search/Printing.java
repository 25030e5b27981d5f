package io.reprise.search;

import java.util.stream.Collectors;

/** Writes clauses and sort keys back in filter syntax, quoting so that parsing gives them back. */
final class Printing {
    private Printing() {}

    static String identifier(Entity entity, String key) {
        return entity.wire() + "." + quotedKey(key);
    }

    // Backticks, or double quotes for a key holding a backtick; MLflow strips either.
    private static String quotedKey(String key) {
        return key.indexOf('`') >= 0 ? '"' + key + '"' : '`' + key + '`';
    }

    static String operand(Operand operand) {
        return switch (operand) {
            case Operand.Text t -> quoted(t.value());
            case Operand.TextList l -> PyRepr.strTuple(l.values());
            case Operand.Real r -> real(r.value());
            case Operand.Whole w -> Long.toString(w.value());
            case Operand.WholeList l ->
                PyRepr.strTuple(l.values().stream().map(String::valueOf).toList());
            case Operand.Absent a -> "";
        };
    }

    // MLflow strips the outer quotes and keeps the inside verbatim, so pick the quote the value lacks.
    private static String quoted(String value) {
        return value.indexOf('\'') >= 0 ? '"' + value + '"' : '\'' + value + '\'';
    }

    private static String real(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "1e999" : "-1e999";
        }
        return Double.toString(value);
    }

    static String joined(java.util.List<Clause> clauses) {
        return clauses.stream().map(Clause::toString).collect(Collectors.joining(" AND "));
    }
}
