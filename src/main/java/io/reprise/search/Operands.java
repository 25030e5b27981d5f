package io.reprise.search;

import io.reprise.model.MlflowException;

/** Checks that a list goes with IN / NOT IN and a single value with every other comparator. */
final class Operands {
    private Operands() {}

    /**
     * MLflow lets {@code run_id = ('a')} through its parser and then fails inside the database
     * driver; we reject it here instead, as an invalid parameter.
     */
    static Operand checkArity(Comparator comparator, Operand operand) {
        boolean isList = operand instanceof Operand.TextList || operand instanceof Operand.WholeList;
        if (isList != comparator.takesList()) {
            throw MlflowException.invalid(
                    "Invalid comparison: '%s' needs %s, got %s",
                    comparator.symbol(),
                    comparator.takesList() ? "a list of values" : "a single value",
                    Printing.operand(operand));
        }
        return operand;
    }
}
