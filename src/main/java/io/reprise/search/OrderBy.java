package io.reprise.search;

import io.reprise.model.MlflowException;
import io.reprise.search.Node.GroupKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MLflow's order_by grammar: each clause is {@code <identifier> [ASC|DESC]}, ascending by
 * default. The lists returned include MLflow's implicit tie-breakers, so they define a total
 * order the store only has to translate.
 */
public final class OrderBy {
    private static final List<String> DEFAULT_EXPERIMENT_ORDER = List.of("creation_time DESC", "experiment_id ASC");

    private OrderBy() {}

    /**
     * Run sort keys: the given clauses, then {@code start_time DESC} unless start_time was given,
     * then {@code run_id ASC}. Rejects datasets and a key given twice.
     */
    public static List<SortKey> parseRuns(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            SortKey key = parse(clause, Vocabulary.RUNS);
            if (key.entity() == Entity.DATASET) {
                throw MlflowException.invalid(
                        "Invalid identifier type '%s'", key.entity().wire());
            }
            key = new SortKey(key.entity(), runKey(key), key.ascending());
            if (!seen.add(key.entity() + "." + key.key())) {
                throw MlflowException.invalid("`order_by` contains duplicate fields: %s", PyRepr.strList(orderBy));
            }
            keys.add(key);
        }
        if (!seen.contains(Entity.ATTRIBUTE + ".start_time")) {
            keys.add(new SortKey(Entity.ATTRIBUTE, "start_time", false));
        }
        keys.add(new SortKey(Entity.ATTRIBUTE, "run_id", true));
        return List.copyOf(keys);
    }

    private static String runKey(SortKey key) {
        return key.entity() == Entity.ATTRIBUTE ? Vocabulary.canonicalKey(key.key()) : key.key();
    }

    /**
     * Experiment sort keys: the given clauses (or {@code creation_time DESC, experiment_id ASC}),
     * then {@code experiment_id DESC} unless experiment_id was given. Only attributes sort.
     */
    public static List<SortKey> parseExperiments(List<String> orderBy) {
        List<String> clauses = orderBy == null || orderBy.isEmpty() ? DEFAULT_EXPERIMENT_ORDER : orderBy;
        List<SortKey> keys = new ArrayList<>();
        for (String clause : clauses) {
            SortKey key = parse(clause, Vocabulary.EXPERIMENTS);
            if (key.entity() != Entity.ATTRIBUTE) {
                throw MlflowException.invalid(
                        "Invalid order_by entity: %s", key.entity().wire());
            }
            keys.add(key);
        }
        if (keys.stream().noneMatch(k -> k.key().equals("experiment_id"))) {
            keys.add(new SortKey(Entity.ATTRIBUTE, "experiment_id", false));
        }
        return List.copyOf(keys);
    }

    /** MLflow's {@code _parse_order_by_string} followed by {@code _get_identifier}. */
    private static SortKey parse(String clause, Vocabulary vocabulary) {
        String identifier = identifierText(clause);
        List<String> words = Shlex.split(identifier.replace('`', '"')).orElseThrow(() -> unparseable(clause));
        boolean ascending = true;
        if (words.size() > 2) {
            throw unparseable(clause);
        }
        if (words.size() == 2) {
            String order = words.get(1).toLowerCase(Locale.ROOT);
            if (!order.equals("asc") && !order.equals("desc")) {
                throw MlflowException.invalid("Invalid ordering key in order_by clause '%s'.", clause);
            }
            ascending = order.equals("asc");
            identifier = words.getFirst();
        }
        ComparisonReader.Identifier id =
                new ComparisonReader(vocabulary).identifier(identifier.strip(), vocabulary.orderByAttributes());
        return new SortKey(id.entity(), id.key(), ascending);
    }

    /** The clause must be exactly one identifier (trailing ASC/DESC included), without blanks around. */
    private static String identifierText(String clause) {
        List<List<Token>> statements = FilterSyntax.statements(Lexer.tokenize(clause));
        if (statements.stream().anyMatch(FilterSyntax::beyondSqlparseLimits)) {
            throw MlflowException.invalid("Error on parsing order_by clause '%s'", clause);
        }
        if (statements.size() != 1) {
            throw unparseable(clause);
        }
        List<Node> nodes = Grouper.group(statements.getFirst());
        if (nodes.size() != 1 || !Node.is(nodes.getFirst(), GroupKind.IDENTIFIER)) {
            throw unparseable(clause);
        }
        return nodes.getFirst().text();
    }

    private static MlflowException unparseable(String clause) {
        return MlflowException.invalid("Invalid order_by clause '%s'. Could not be parsed.", clause);
    }
}
