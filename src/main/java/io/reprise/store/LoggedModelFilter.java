package io.reprise.store;

import io.reprise.model.LoggedModelStatus;
import io.reprise.model.MlflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's logged-model filter (mlflow/utils/search_logged_model_utils.py): comparisons joined by
 * AND, each {@code [attributes.|params.|tags.|metrics.]key op value}. Attributes are the model's
 * columns; the timestamps compare as numbers, everything else as text.
 */
final class LoggedModelFilter {
    enum Kind {
        ATTRIBUTE,
        PARAM,
        TAG,
        METRIC
    }

    /** One comparison; {@code values} holds one value except for IN and NOT IN. */
    record Term(Kind kind, String key, String op, List<Object> values) {}

    static final Map<String, String> ALIASES = Map.of(
            "creation_time", "creation_timestamp_ms",
            "creation_timestamp", "creation_timestamp_ms",
            "last_updated_timestamp", "last_updated_timestamp_ms");
    static final Set<String> COLUMNS = Set.of(
            "model_id",
            "experiment_id",
            "name",
            "artifact_location",
            "creation_timestamp_ms",
            "last_updated_timestamp_ms",
            "status",
            "lifecycle_stage",
            "model_type",
            "source_run_id",
            "status_message");
    private static final Set<String> NUMERIC = Set.of("creation_timestamp_ms", "last_updated_timestamp_ms");
    private static final List<String> NUMERIC_OPS = List.of("<", "<=", ">", ">=", "=", "!=");
    private static final List<String> STRING_OPS = List.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");

    private final String text;
    private int pos;

    private LoggedModelFilter(String text) {
        this.text = text;
    }

    static List<Term> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new LoggedModelFilter(filter).terms();
    }

    private List<Term> terms() {
        List<Term> out = new ArrayList<>();
        while (true) {
            out.add(term());
            skipSpace();
            if (pos == text.length()) {
                return out;
            }
            String word = word();
            if (!word.equalsIgnoreCase("AND")) {
                throw invalid();
            }
        }
    }

    private Term term() {
        skipSpace();
        String identifier = identifier();
        Kind kind = Kind.ATTRIBUTE;
        String key = identifier;
        int dot = identifier.indexOf('.');
        if (dot > 0 && identifier.substring(0, dot).chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            String prefix = identifier.substring(0, dot);
            key = stripBackticks(identifier.substring(dot + 1));
            kind = switch (prefix) {
                case "attributes" -> Kind.ATTRIBUTE;
                case "metrics" -> Kind.METRIC;
                case "params" -> Kind.PARAM;
                case "tags" -> Kind.TAG;
                default ->
                    throw MlflowException.invalid(
                            "Invalid entity type: '%s'. Expected one of ['attributes', 'metrics', 'params', 'tags'].",
                            prefix);
            };
        } else {
            key = stripBackticks(identifier);
        }
        if (kind == Kind.ATTRIBUTE) {
            key = ALIASES.getOrDefault(key, key);
            if (!COLUMNS.contains(key)) {
                throw MlflowException.invalid("Invalid attribute key '%s' in filter '%s'.", key, text);
            }
        }
        boolean numeric = kind == Kind.METRIC || (kind == Kind.ATTRIBUTE && NUMERIC.contains(key));
        String op = operator();
        List<String> ops = numeric ? NUMERIC_OPS : STRING_OPS;
        if (!ops.contains(op)) {
            throw MlflowException.invalid(
                    "Invalid comparison operator for %s.%s: '%s'. Expected one of %s.",
                    kind.name().toLowerCase(Locale.ROOT) + "s", key, op, pyTuple(ops));
        }
        skipSpace();
        List<Object> values = new ArrayList<>();
        if (op.endsWith("IN")) {
            values.addAll(list());
        } else if (numeric) {
            values.add(number());
        } else {
            values.add(kind == Kind.ATTRIBUTE && key.equals("status") ? status(string()) : string());
        }
        return new Term(kind, key, op, values);
    }

    // status is stored as its enum number; a filter names it as MLflow's client shows it (READY)
    // or as the proto name (LOGGED_MODEL_READY)
    private static Object status(String value) {
        LoggedModelStatus s = LoggedModelStatus.parse(value);
        if (s == null) {
            s = LoggedModelStatus.parse("LOGGED_MODEL_" + value);
        }
        if (s == null && value.equals("FAILED")) {
            s = LoggedModelStatus.LOGGED_MODEL_UPLOAD_FAILED;
        }
        return s == null ? value : String.valueOf(s.number());
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '`') {
                int end = text.indexOf('`', pos + 1);
                if (end < 0) {
                    throw invalid();
                }
                pos = end + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw invalid();
        }
        return text.substring(start, pos);
    }

    private String operator() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && "<>=!".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos > start) {
            return text.substring(start, pos);
        }
        String word = word().toUpperCase(Locale.ROOT);
        if (word.equals("NOT")) {
            skipSpace();
            String next = word().toUpperCase(Locale.ROOT);
            return "NOT " + next;
        }
        if (word.isEmpty()) {
            throw invalid();
        }
        return word;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String string() {
        if (pos >= text.length()) {
            throw invalid();
        }
        char quote = text.charAt(pos);
        if (quote != '\'' && quote != '"') {
            throw MlflowException.invalid(
                    "Invalid filter string: '%s'. Values must be quoted strings, e.g. name = 'model'.", text);
        }
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw invalid();
        }
        String value = text.substring(pos + 1, end);
        pos = end + 1;
        return value;
    }

    private Double number() {
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            return Double.valueOf(token);
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("could not convert string to float: '%s'", token);
        }
    }

    private List<String> list() {
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw invalid();
        }
        pos++;
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpace();
            values.add(string());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
                return values;
            } else {
                throw invalid();
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static String stripBackticks(String s) {
        return s.length() >= 2 && s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
    }

    private static String pyTuple(List<String> ops) {
        return "(" + String.join(", ", ops.stream().map(o -> "'" + o + "'").toList()) + ")";
    }

    private MlflowException invalid() {
        return MlflowException.invalid(
                "Invalid filter string: '%s'. Expected a list of comparisons separated by 'AND' (e.g."
                        + " 'metrics.loss > 0.1 AND params.lr = 0.01').",
                text);
    }
}
