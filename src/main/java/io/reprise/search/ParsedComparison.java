package io.reprise.search;

/**
 * A comparison as MLflow's parser returns it, before the store validates the comparator: the
 * key is as written (aliases unresolved) and the comparator keeps the user's spelling.
 */
record ParsedComparison(Entity entity, String key, String comparator, Operand operand) {}
