package io.reprise.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.capture.FreezeLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The runs' records (reprise/manifest.json, docs/capture-manifest.md) side by side, as rows of one
 * value per run. reproduce.Causes explains two runs in sentences; a comparison of up to ten runs
 * needs the values in columns, so this reads the same manifest keys as a table. A run without a
 * record (null) shows no value in every row.
 */
final class RecordDiff {
    /** One line of the table; {@code null} marks a run without the value. */
    record Row(String label, List<String> values) {
        boolean differs() {
            return values.stream().distinct().count() > 1;
        }
    }

    /** A titled group of rows; {@code diffsOnly} groups (packages) never list equal rows. */
    record Group(String id, String title, List<Row> rows, int equalHidden) {}

    private RecordDiff() {}

    static List<Group> of(List<JsonNode> records) {
        List<Group> out = new ArrayList<>();
        out.add(group(
                "record-code",
                "Code",
                records,
                List.of(
                        field("git commit", m -> text(m.path("git").path("commit"))),
                        field("branch", m -> text(m.path("git").path("branch"))),
                        field("remote", m -> text(m.path("git").path("remote_url"))),
                        field("uncommitted changes", m -> text(m.path("git").path("dirty"))),
                        field("changed files", m -> joined(m.path("git").path("changed_files"))),
                        field("command", m -> text(m.path("command").path("line"))),
                        field("working directory", m -> text(m.path("command").path("workdir_in_repo"))),
                        field("seed", m -> text(m.path("command").path("seed"))))));
        out.add(group(
                "record-env",
                "Interpreter and machine",
                records,
                List.of(
                        field("Python", m -> text(m.path("python").path("version"))),
                        field("implementation", m -> text(m.path("python").path("implementation"))),
                        field("interpreter", m -> text(m.path("python").path("executable"))),
                        field("OS", m -> text(m.path("system").path("os"))),
                        field("architecture", m -> text(m.path("system").path("arch"))),
                        field("CPU", m -> text(m.path("system").path("cpu_model"))),
                        field("cores", m -> text(m.path("system").path("cores"))),
                        field("GPUs", m -> joined(m.path("system").path("gpus"))))));
        out.add(keyed("record-packages", "Packages", records, RecordDiff::packages, true));
        out.add(keyed("record-deps", "Dependency files (sha256)", records, m -> files(m.path("dependencies")), false));
        out.add(keyed("record-configs", "Config files (sha256)", records, m -> files(m.path("configs")), false));
        Group version = group(
                "record-data",
                "Data",
                records,
                List.of(field("data version", m -> text(m.path("data").path("version")))));
        Group inputs = keyed("record-data", "Data", records, RecordDiff::inputs, false);
        out.add(new Group("record-data", "Data", concat(version.rows(), inputs.rows()), 0));
        out.add(keyed(
                "record-envvars", "Environment variables", records, m -> stringMap(m.path("environment")), false));
        return out;
    }

    /** A row's label and how to read its value from a manifest (null when absent). */
    private record Field(String label, Function<JsonNode, String> read) {}

    private static Field field(String label, Function<JsonNode, String> read) {
        return new Field(label, read);
    }

    /** A row per field that any run has. */
    private static Group group(String id, String title, List<JsonNode> records, List<Field> fields) {
        List<Row> rows = new ArrayList<>();
        for (Field f : fields) {
            List<String> values = new ArrayList<>();
            records.forEach(m -> values.add(m == null ? null : f.read().apply(m)));
            if (values.stream().anyMatch(v -> v != null)) {
                rows.add(new Row(f.label(), values));
            }
        }
        return new Group(id, title, rows, 0);
    }

    /** One row per key any run has (a package, a file path), with each run's value for it. */
    private static Group keyed(
            String id,
            String title,
            List<JsonNode> records,
            Function<JsonNode, Map<String, String>> read,
            boolean diffsOnly) {
        List<Map<String, String>> maps = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode m : records) {
            Map<String, String> values = m == null ? Map.of() : read.apply(m);
            maps.add(values);
            keys.addAll(values.keySet());
        }
        List<Row> rows = new ArrayList<>();
        int hidden = 0;
        for (String k : keys) {
            List<String> values = new ArrayList<>();
            maps.forEach(v -> values.add(v.get(k)));
            Row row = new Row(k, values);
            if (diffsOnly && !row.differs()) {
                hidden++;
            } else {
                rows.add(row);
            }
        }
        return new Group(id, title, rows, hidden);
    }

    /** Installed packages from the record's pip freeze lines: name (lower case) to version or URL. */
    static Map<String, String> packages(JsonNode m) {
        List<String> lines = new ArrayList<>();
        m.path("python").path("packages").forEach(p -> lines.add(p.asText()));
        Map<String, String> out = new TreeMap<>();
        FreezeLines.byName(lines).forEach((name, pin) -> out.put(name, pin.isEmpty() ? "(no version)" : pin));
        return out;
    }

    private static Map<String, String> files(JsonNode array) {
        Map<String, String> out = new TreeMap<>();
        array.forEach(
                f -> out.put(f.path("path").asText(), short12(f.path("sha256").asText(""))));
        return out;
    }

    private static Map<String, String> inputs(JsonNode m) {
        Map<String, String> out = new TreeMap<>();
        m.path("data")
                .path("inputs")
                .forEach(d -> out.put(d.path("path").asText(), d.path("md5").asText("")));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static String joined(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    private static String short12(String s) {
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
