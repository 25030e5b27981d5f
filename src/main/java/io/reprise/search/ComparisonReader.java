package io.reprise.search;

import io.reprise.model.MlflowException;
import io.reprise.search.Node.Comparison;
import io.reprise.search.Node.GroupKind;
import io.reprise.search.Token.Kind;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Supplier;

/**
 * MLflow's {@code _get_comparison}, {@code _get_identifier} and {@code _get_value}: reads one
 * comparison into an entity, a key and a typed value, with MLflow's messages for each mistake.
 */
final class ComparisonReader {
    private final Vocabulary vocabulary;

    ComparisonReader(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    ParsedComparison read(Comparison c) {
        if (!Node.is(c.left(), GroupKind.IDENTIFIER)) {
            throw MlflowException.invalid(
                    "Invalid comparison clause. Expected 'Identifier' found '%s'",
                    c.left().text());
        }
        Identifier id = identifier(c.left().text(), vocabulary.filterAttributes());
        if (c.right() == null) {
            return nullCheck(id, c.comparator());
        }
        return new ParsedComparison(id.entity(), id.key(), c.comparator(), value(id, c.right()));
    }

    private ParsedComparison nullCheck(Identifier id, String comparator) {
        if (vocabulary.forRuns() && id.entity() != Entity.TAG && id.entity() != Entity.PARAM) {
            throw MlflowException.invalid(
                    "IS NULL / IS NOT NULL is only supported for tags and params, not for '%s' '%s'",
                    id.entity().wire(), id.key());
        }
        if (!vocabulary.forRuns() && id.entity() != Entity.TAG) {
            throw MlflowException.invalid(
                    "IS NULL / IS NOT NULL is only supported for tags, not for attribute '%s'", id.key());
        }
        return new ParsedComparison(id.entity(), id.key(), comparator, new Operand.Absent());
    }

    record Identifier(Entity entity, String key) {}

    /** Splits on the first dot: no dot means an attribute; quotes around the key are dropped. */
    Identifier identifier(String text, List<String> validAttributes) {
        int dot = text.indexOf('.');
        Entity entity = dot < 0 ? Entity.ATTRIBUTE : vocabulary.entity(text.substring(0, dot));
        String key = Quotes.trimBackticks(Quotes.strip(dot < 0 ? text : text.substring(dot + 1)));
        if (entity == Entity.ATTRIBUTE && !validAttributes.contains(key)) {
            throw MlflowException.invalid(
                    "Invalid attribute key '%s' specified. Valid keys are '%s'", key, PyRepr.strSet(validAttributes));
        }
        if (entity == Entity.DATASET && !Vocabulary.DATASET_KEYS.contains(key)) {
            throw MlflowException.invalid(
                    "Invalid dataset key '%s' specified. Valid keys are '%s'",
                    key, PyRepr.strSet(Vocabulary.DATASET_KEYS));
        }
        return new Identifier(entity, key);
    }

    private Operand value(Identifier id, Node token) {
        return switch (id.entity()) {
            case METRIC -> metricValue(token);
            case PARAM, TAG -> stringValue(token, id.entity());
            case ATTRIBUTE -> attributeValue(id.key(), token);
            case DATASET -> datasetValue(token);
        };
    }

    private static Operand metricValue(Node token) {
        if (!isNumber(token)) {
            throw MlflowException.invalid("Expected numeric value type for metric. Found %s", token.text());
        }
        return new Operand.Real(real(
                token,
                () -> MlflowException.invalid("Expected numeric value type for metric. Found %s", token.text())));
    }

    private static Operand stringValue(Node token, Entity entity) {
        if (isString(token)) {
            return new Operand.Text(Quotes.stripRequired(token.text()));
        }
        throw MlflowException.invalid(
                "Expected a quoted string value for %s (e.g. 'my-value'). Got value %s", entity.wire(), token.text());
    }

    private Operand attributeValue(String key, Node token) {
        if (vocabulary.numericAttributes().contains(key)) {
            return numericAttributeValue(key, token);
        }
        if (isString(token)) {
            return new Operand.Text(Quotes.stripRequired(token.text()));
        }
        if (Node.is(token, GroupKind.PARENTHESIS)) {
            if (!vocabulary.listAttributes().contains(key)) {
                throw MlflowException.invalid(
                        "Only %s attributes support comparison with a list of quoted string values.",
                        PyRepr.strList(vocabulary.listAttributes()));
            }
            return new Operand.TextList(TextLists.read(token.text()));
        }
        throw MlflowException.invalid("Expected a quoted string value for attributes. Got value %s", token.text());
    }

    private static Operand numericAttributeValue(String key, Node token) {
        Supplier<MlflowException> notNumeric = () -> MlflowException.invalid(
                "Expected numeric value type for numeric attribute: %s. Found %s", key, token.text());
        if (!isNumber(token)) {
            throw notNumeric.get();
        }
        if (Node.is(token, Kind.INTEGER)) {
            BigInteger whole = new BigInteger(token.text());
            // Python ints have no bound; beyond a long, compare as a double rather than fail.
            return whole.bitLength() < 64
                    ? new Operand.Whole(whole.longValue())
                    : new Operand.Real(whole.doubleValue());
        }
        return new Operand.Real(real(token, notNumeric));
    }

    private static Operand datasetValue(Node token) {
        if (isString(token)) {
            return new Operand.Text(Quotes.stripRequired(token.text()));
        }
        if (Node.is(token, GroupKind.PARENTHESIS)) {
            return new Operand.TextList(TextLists.read(token.text()));
        }
        throw MlflowException.invalid(
                "Expected a quoted string value for dataset attributes. Got value %s", token.text());
    }

    /** A single-quoted string, or an identifier (a double-quoted one is a string value too). */
    private static boolean isString(Node token) {
        return Node.is(token, Kind.STRING) || Node.is(token, GroupKind.IDENTIFIER);
    }

    private static boolean isNumber(Node token) {
        return Node.is(token, Kind.INTEGER) || Node.is(token, Kind.FLOAT);
    }

    private static double real(Node token, Supplier<MlflowException> unreadable) {
        try {
            return Double.parseDouble(token.text());
        } catch (NumberFormatException e) {
            // Digits outside ASCII pass sqlparse's \d but not Java's parser.
            throw unreadable.get();
        }
    }
}
