package io.reprise.search;

import java.util.List;

/** The right-hand side of a clause, typed as MLflow types it when it reads the filter. */
public sealed interface Operand {

    /** A quoted string, without its quotes; MLflow does not unescape anything inside. */
    record Text(String value) implements Operand {}

    /** The strings of an IN / NOT IN list. */
    record TextList(List<String> values) implements Operand {
        public TextList {
            values = List.copyOf(values);
        }
    }

    /** A number written with a fraction or exponent, or any metric value. */
    record Real(double value) implements Operand {}

    /** A number written as an integer, for numeric attributes and experiment ids. */
    record Whole(long value) implements Operand {}

    /** Experiment ids of an IN / NOT IN list, already read as integers. */
    record WholeList(List<Long> values) implements Operand {
        public WholeList {
            values = List.copyOf(values);
        }
    }

    /** No value: the operand of IS NULL and IS NOT NULL. */
    record Absent() implements Operand {}
}
