package io.reprise.store;

import io.reprise.search.Comparator;
import io.reprise.search.Operand;
import java.util.List;

/** Writes {@code column <comparator> value} with the value bound, as MLflow's SQLAlchemy does. */
final class SqlComparisons {
    private SqlComparisons() {}

    static String compare(String column, Comparator comparator, Operand operand, Dialect dialect, SqlBuilder sql) {
        return switch (comparator) {
            case EQ, NE, GT, GE, LT, LE -> column + " " + comparator.symbol() + " " + sql.bind(value(operand));
            // LIKE is case-sensitive on both databases (SQLite runs with case_sensitive_like on).
            case LIKE -> column + " LIKE " + sql.bind(value(operand));
            case ILIKE -> dialect.ilike(column, sql.bind(value(operand)));
            case IN -> column + " IN (" + sql.bindAll(values(operand)) + ")";
            case NOT_IN -> column + " NOT IN (" + sql.bindAll(values(operand)) + ")";
            case IS_NULL, IS_NOT_NULL -> throw new IllegalArgumentException("IS [NOT] NULL is a key test: " + column);
        };
    }

    private static Object value(Operand operand) {
        return switch (operand) {
            case Operand.Text t -> t.value();
            case Operand.Real r -> r.value();
            case Operand.Whole w -> w.value();
            default -> throw new IllegalArgumentException("not a single value: " + operand);
        };
    }

    private static List<?> values(Operand operand) {
        return switch (operand) {
            case Operand.TextList l -> l.values();
            case Operand.WholeList l -> l.values();
            default -> throw new IllegalArgumentException("not a list: " + operand);
        };
    }
}
