package io.reprise.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why two runs of the same code may differ, read from their two records and ranked most likely first:
 * data, packages, interpreter, machine and thread settings, missing seeds, a dirty tree.
 */
final class Causes {
    /** Variables that set how many threads numeric libraries use: reduction order changes with them. */
    private static final Set<String> THREADS = Set.of(
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "NUMEXPR_NUM_THREADS",
            "VECLIB_MAXIMUM_THREADS",
            "MKL_CBWR",
            "TOKENIZERS_PARALLELISM");

    private Causes() {}

    /**
     * The probable causes, most likely first. {@code reproduction} is null when no reproduction record
     * exists (the run failed before recording).
     */
    static List<String> rank(RunRecord original, RunRecord reproduction, List<DataRestore.Mismatch> data) {
        List<String> out = new ArrayList<>();
        data.forEach(m -> out.add("data changed: " + m.describe()));
        if (reproduction != null) {
            dataInputs(original, reproduction, out);
            packages(original, reproduction, out);
            files("dependency file", original.dependencies(), reproduction.dependencies(), out);
            files("config file", original.configs(), reproduction.configs(), out);
            interpreter(original, reproduction, out);
            machine(original, reproduction, out);
            threads(original, reproduction, out);
        }
        seeds(original, out);
        if (original.dirty()) {
            out.add("the original ran on a dirty tree: its uncommitted diff was re-applied"
                    + (original.git().path("changed_files").isArray()
                            ? " (" + joined(original.git().path("changed_files")) + ")"
                            : ""));
        }
        List<String> lost = new ArrayList<>();
        original.git().path("untracked").forEach(u -> {
            if (!u.path("saved").asBoolean(false)) {
                lost.add(u.path("path").asText());
            }
        });
        if (!lost.isEmpty()) {
            out.add("untracked files of the original were not saved and are missing: " + String.join(", ", lost));
        }
        return out;
    }

    private static void dataInputs(RunRecord a, RunRecord b, List<String> out) {
        Map<String, String> before = new java.util.TreeMap<>();
        a.data().forEach(d -> before.put(d.path(), d.md5()));
        Map<String, String> after = new java.util.TreeMap<>();
        b.data().forEach(d -> after.put(d.path(), d.md5()));
        for (String p : union(before.keySet(), after.keySet())) {
            if (!Objects.equals(before.get(p), after.get(p))) {
                out.add("data digest differs: " + p + " " + orNone(before.get(p)) + " -> " + orNone(after.get(p)));
            }
        }
    }

    private static void packages(RunRecord a, RunRecord b, List<String> out) {
        if (!a.python().isObject() || !b.python().isObject()) {
            return;
        }
        List<String> changes = packageChanges(a.packages(), b.packages());
        if (!changes.isEmpty()) {
            out.add("packages changed: " + String.join(", ", changes));
        }
    }

    /** {@code name old -> new}, {@code name added (v)}, {@code name removed (was v)}, by name. */
    static List<String> packageChanges(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        for (String p : union(before.keySet(), after.keySet())) {
            String x = before.get(p);
            String y = after.get(p);
            if (x == null) {
                changes.add(p + " added (" + y + ")");
            } else if (y == null) {
                changes.add(p + " removed (was " + x + ")");
            } else if (!x.equals(y)) {
                changes.add(p + " " + x + " -> " + y);
            }
        }
        return changes;
    }

    private static void files(
            String what, List<RunRecord.FileDigest> a, List<RunRecord.FileDigest> b, List<String> out) {
        Map<String, String> before = new java.util.TreeMap<>();
        a.forEach(f -> before.put(f.path(), f.sha256()));
        Map<String, String> after = new java.util.TreeMap<>();
        b.forEach(f -> after.put(f.path(), f.sha256()));
        for (String p : union(before.keySet(), after.keySet())) {
            String x = before.get(p);
            String y = after.get(p);
            if (!Objects.equals(x, y)) {
                out.add(what + " differs: " + p + " sha256 " + short12(x) + " -> " + short12(y));
            }
        }
    }

    private static void interpreter(RunRecord a, RunRecord b, List<String> out) {
        String va = a.python().path("version").asText("");
        String vb = b.python().path("version").asText("");
        if (!va.isEmpty() && !vb.isEmpty() && !va.equals(vb)) {
            out.add("interpreter differs: Python " + va + " -> " + vb);
        }
        String ia = a.python().path("implementation").asText("");
        String ib = b.python().path("implementation").asText("");
        if (!ia.isEmpty() && !ib.isEmpty() && !ia.equals(ib)) {
            out.add("interpreter differs: " + ia + " -> " + ib);
        }
    }

    private static void machine(RunRecord a, RunRecord b, List<String> out) {
        List<String> diffs = new ArrayList<>();
        for (String key : List.of("os", "kernel", "arch", "cpu_model", "cores", "gpus")) {
            String x = a.system().path(key).toString();
            String y = b.system().path(key).toString();
            if (a.system().has(key) && b.system().has(key) && !x.equals(y)) {
                diffs.add(key + " " + text(a.system().path(key)) + " -> "
                        + text(b.system().path(key)));
            }
        }
        if (!diffs.isEmpty()) {
            out.add("machine differs: " + String.join(", ", diffs));
        }
    }

    private static void threads(RunRecord a, RunRecord b, List<String> out) {
        Map<String, String> ea = a.environment();
        Map<String, String> eb = b.environment();
        List<String> diffs = new ArrayList<>();
        for (String k : union(ea.keySet(), eb.keySet())) {
            if (!THREADS.contains(k)
                    && !k.startsWith("CUDA")
                    && !k.startsWith("CUBLAS")
                    && !k.startsWith("TF_")
                    && !k.equals("PYTHONPATH")
                    && !k.equals("LANG")
                    && !k.equals("LC_ALL")
                    && !k.equals("TZ")) {
                continue;
            }
            if (!Objects.equals(ea.get(k), eb.get(k))) {
                diffs.add(k + " " + orUnset(ea.get(k)) + " -> " + orUnset(eb.get(k)));
            }
        }
        if (!diffs.isEmpty()) {
            out.add("environment differs: " + String.join(", ", diffs));
        }
        boolean threadsPinned = THREADS.stream().anyMatch(ea::containsKey);
        if (!threadsPinned
                && a.system().has("cores")
                && b.system().has("cores")
                && a.system().path("cores").asInt() != b.system().path("cores").asInt()) {
            out.add("thread settings: OMP_NUM_THREADS was not set, and the core count changed ("
                    + a.system().path("cores").asInt() + " -> "
                    + b.system().path("cores").asInt()
                    + "): numeric libraries pick their thread count, and reduction order, from it");
        }
    }

    private static void seeds(RunRecord a, List<String> out) {
        Map<String, String> env = a.environment();
        if (a.seed() == null && !env.containsKey("REPRISE_SEED")) {
            out.add("no seed recorded: the original ran without --seed, so any unseeded randomness differs"
                    + " between runs (record one with 'reprise run --seed N')");
        }
        if (a.python().isObject() && a.hasEnvironment() && !env.containsKey("PYTHONHASHSEED")) {
            out.add("PYTHONHASHSEED unset: set and dict iteration orders of strings change from run to run"
                    + " (reprise run --seed N sets it)");
        }
    }

    private static String joined(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n) {
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static String orNone(String s) {
        return s == null ? "(none)" : DataRestore.short8(s);
    }

    private static String orUnset(String s) {
        return s == null ? "unset" : s;
    }

    private static String short12(String s) {
        return s == null ? "(absent)" : s.length() > 12 ? s.substring(0, 12) : s;
    }
}
