package io.reprise.tracking;

import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import io.reprise.model.Tag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** MLflow's limits and name rules (mlflow/utils/validation.py), with its messages. */
final class Validation {
    static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_ENTITIES_PER_BATCH = 1000;
    static final int MAX_PARAM_VAL_LENGTH = 6000;
    static final int MAX_TAG_VAL_LENGTH = 8000;
    static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    static final int MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
    static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 20000;
    static final int MAX_ENTITY_KEY_LENGTH = 250;

    private static final Pattern NAME = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-),"
            + " periods (.), spaces ( ), colon(:) and slashes (/).";

    private Validation() {}

    /** Checks a metric, param or tag key; {@code path} names it in messages, e.g. {@code params[3].key}. */
    static void key(String key, String path) {
        if (!NAME.matcher(key).matches()) {
            throw MlflowException.invalid(
                    "Invalid value %s for parameter '%s' supplied: %s", quote(key), path, BAD_CHARACTERS);
        }
        String norm = normpath(key);
        if (!norm.equals(key) || norm.equals(".") || norm.startsWith("..") || norm.startsWith("/")) {
            throw MlflowException.invalid(
                    "Invalid value %s for parameter '%s' supplied: Names may be treated as files in certain cases,"
                            + " and must not resolve to other names when treated as such. This name would resolve"
                            + " to '%s'",
                    quote(key), path, norm);
        }
    }

    // Python's posixpath.normpath, which MLflow uses to decide whether a name is a clean path.
    static String normpath(String name) {
        if (name.isEmpty()) {
            return ".";
        }
        boolean absolute = name.startsWith("/");
        int leadingSlashes = name.startsWith("//") && !name.startsWith("///") ? 2 : absolute ? 1 : 0;
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.getLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && absolute)) {
                parts.add(part);
            }
        }
        String joined = "/".repeat(leadingSlashes) + String.join("/", parts);
        return joined.isEmpty() ? "." : joined;
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static void lengthAtMost(String entity, int limit, String value) {
        if (value != null && value.length() > limit) {
            throw MlflowException.invalid("'%s' exceeds the maximum length of %d characters", entity, limit);
        }
    }

    /** MLflow truncates over-long param and tag values by default rather than refusing them. */
    static String truncate(String value, int limit) {
        return value.length() <= limit ? value : value.substring(0, limit);
    }

    static Param param(Param p, String path) {
        key(p.key(), path.isEmpty() ? "key" : path + ".key");
        lengthAtMost("Param key", MAX_ENTITY_KEY_LENGTH, p.key());
        return new Param(p.key(), truncate(p.value(), MAX_PARAM_VAL_LENGTH));
    }

    static Tag tag(Tag t, String path) {
        String keyPath = path.isEmpty() ? "key" : path + ".key";
        key(t.key(), keyPath);
        lengthAtMost(keyPath, MAX_ENTITY_KEY_LENGTH, t.key());
        return new Tag(t.key(), truncate(t.value(), MAX_TAG_VAL_LENGTH));
    }

    static void metricKey(String key, String path) {
        key(key, path);
        lengthAtMost("Metric name", MAX_ENTITY_KEY_LENGTH, key);
    }

    static void experimentTag(Tag t) {
        key(t.key(), "key");
        lengthAtMost("key", MAX_EXPERIMENT_TAG_KEY_LENGTH, t.key());
        lengthAtMost("value", MAX_EXPERIMENT_TAG_VAL_LENGTH, t.value());
    }

    static void experimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalid("Invalid experiment name: '%s'", name == null ? "None" : name);
        }
        lengthAtMost("name", MAX_EXPERIMENT_NAME_LENGTH, name);
    }

    /**
     * An experiment id in canonical form: MLflow parses ids as integers, so "abc" is refused and
     * " 7" means experiment 7.
     */
    static String experimentId(String experimentId) {
        try {
            return Long.toString(Long.parseLong(experimentId.strip()));
        } catch (NumberFormatException e) {
            throw MlflowException.invalid(
                    "Invalid experiment ID '%s'. Experiment ID must be a valid integer.", experimentId);
        }
    }

    static void runId(String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw MlflowException.invalid("Invalid value %s for parameter 'run_id' supplied.", quote(runId));
        }
    }

    static void batchLimits(int metrics, int params, int tags) {
        batchLimit("metrics", MAX_METRICS_PER_BATCH, metrics);
        batchLimit("params", MAX_PARAMS_TAGS_PER_BATCH, params);
        batchLimit("tags", MAX_PARAMS_TAGS_PER_BATCH, tags);
        batchLimit("metrics, params, and tags", MAX_ENTITIES_PER_BATCH, metrics + params + tags);
    }

    private static void batchLimit(String entity, int limit, int length) {
        if (length > limit) {
            throw MlflowException.invalid(
                    "A batch logging request can contain at most %d %s. Got %d %s. Please split up %s across"
                            + " multiple requests and try again.",
                    limit, entity, length, entity, entity);
        }
    }

    static void uniqueParamKeys(List<Param> params) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> dupes = new ArrayList<>();
        for (Param p : params) {
            if (!seen.add(p.key())) {
                dupes.add("'" + p.key() + "'");
            }
        }
        if (!dupes.isEmpty()) {
            throw MlflowException.invalid(
                    "Duplicate parameter keys have been submitted: %s. Please ensure the request contains only one"
                            + " param value per param key.",
                    dupes);
        }
    }

    /** Refuses artifact locations that MLflow's CVE fixes refuse: fragments, params, traversing queries, runs:/ URIs. */
    static void artifactLocation(String location) {
        if (location == null || location.isEmpty()) {
            return;
        }
        if (location.startsWith("runs:")) {
            throw MlflowException.invalid("Artifact location cannot be a runs:/ URI. Given: '%s'", location);
        }
        if (location.contains("#") || location.contains(";")) {
            throw MlflowException.invalid("'artifact_location' URL can't include fragments or params.");
        }
        int query = location.indexOf('?');
        if (query >= 0 && location.substring(query).contains("..")) {
            throw MlflowException.invalid("Invalid query string");
        }
        if (location.indexOf('\0') >= 0) {
            throw MlflowException.invalid("Invalid artifact location: it contains a NUL character");
        }
        if (!location.contains(":") && !Path.of(location).isAbsolute()) {
            throw MlflowException.invalid(
                    "Invalid artifact location '%s': give a URI (mlflow-artifacts:/..., s3://...) or an absolute path",
                    location);
        }
    }

    /** MLflow's _validate_logged_model_name: null is fine (a name is generated), else no path-like characters. */
    static void loggedModelName(String name) {
        if (name == null) {
            return;
        }
        if (name.isEmpty() || name.chars().anyMatch(c -> "/:.%\"'".indexOf(c) >= 0)) {
            throw MlflowException.invalid(
                    "Invalid model name (%s) provided. Model name must be a non-empty string and cannot contain the"
                            + " following characters: ('/', ':', '.', '%%', '\"', \"'\")",
                    pyRepr(name));
        }
    }

    // Python's repr of a str, for the common characters: single quotes unless only double ones fit.
    private static String pyRepr(String s) {
        String escaped = s.replace("\\", "\\\\");
        if (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) {
            return '"' + escaped + '"';
        }
        return "'" + escaped.replace("'", "\\'") + "'";
    }
}
