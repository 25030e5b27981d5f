package io.reprise.search;

/**
 * One validated {@code <entity>.<key> <comparator> <value>} term of a filter. Aliases are
 * resolved ({@code created} is {@code start_time}, {@code `run name`} is {@code run_name}) and the
 * comparator is one the entity accepts, so the store can translate it without checking again.
 */
public record Clause(Entity entity, String key, Comparator comparator, Operand operand) {

    /** The filter text MLflow would read back as this clause. */
    @Override
    public String toString() {
        String left = Printing.identifier(entity, key) + " " + comparator.symbol();
        String right = Printing.operand(operand);
        return right.isEmpty() ? left : left + " " + right;
    }
}
