package io.reprise.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every final metric and every output artifact of two runs, side by side. */
record Comparison(List<MetricRow> metrics, List<ArtifactRow> artifacts) {

    /** One metric; a side is null when that run did not log it. */
    record MetricRow(String key, Double original, Double reproduction, Tolerance tolerance, boolean same) {}

    /** One artifact by path; a side's sha256 is null when that run has no such file. */
    record ArtifactRow(String path, String original, String reproduction) {
        boolean same() {
            return original != null && original.equals(reproduction);
        }
    }

    static Comparison of(
            Map<String, Double> original,
            Map<String, Double> reproduction,
            Map<String, String> originalArtifacts,
            Map<String, String> reproductionArtifacts,
            Map<String, Tolerance> tolerances,
            Tolerance fallback) {
        List<MetricRow> metrics = new ArrayList<>();
        for (String k : new TreeSet<>(union(original.keySet(), reproduction.keySet()))) {
            Double a = original.get(k);
            Double b = reproduction.get(k);
            Tolerance t = tolerances.getOrDefault(k, fallback);
            metrics.add(new MetricRow(k, a, b, t, a != null && b != null && t.accepts(a, b)));
        }
        List<ArtifactRow> artifacts = new ArrayList<>();
        for (String p : new TreeSet<>(union(originalArtifacts.keySet(), reproductionArtifacts.keySet()))) {
            artifacts.add(new ArtifactRow(p, originalArtifacts.get(p), reproductionArtifacts.get(p)));
        }
        return new Comparison(metrics, artifacts);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    List<String> divergingMetrics() {
        return metrics.stream().filter(m -> !m.same()).map(MetricRow::key).toList();
    }

    List<String> divergingArtifacts() {
        return artifacts.stream().filter(a -> !a.same()).map(ArtifactRow::path).toList();
    }

    boolean same() {
        return divergingMetrics().isEmpty() && divergingArtifacts().isEmpty();
    }

    /** The side-by-side table, for people. */
    List<String> table() {
        List<String> out = new ArrayList<>();
        if (metrics.isEmpty() && artifacts.isEmpty()) {
            out.add("(neither run logged metrics or artifacts: only the exit code was compared)");
            return out;
        }
        if (!metrics.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"metric", "original", "reproduction", ""});
            for (MetricRow m : metrics) {
                rows.add(new String[] {m.key(), number(m.original()), number(m.reproduction()), mark(m)});
            }
            out.addAll(align(rows));
        }
        if (!artifacts.isEmpty()) {
            if (!out.isEmpty()) {
                out.add("");
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"artifact", "original", "reproduction", ""});
            for (ArtifactRow a : artifacts) {
                rows.add(new String[] {
                    a.path(), digest(a.original()), digest(a.reproduction()), a.same() ? "same" : "DIFFERS"
                });
            }
            out.addAll(align(rows));
        }
        return out;
    }

    private static String mark(MetricRow m) {
        if (m.original() == null || m.reproduction() == null) {
            return "MISSING";
        }
        if (!m.same()) {
            return "DIFFERS (" + number(m.reproduction() - m.original()) + ")";
        }
        return m.original().equals(m.reproduction()) ? "same" : "within " + m.tolerance();
    }

    private static String digest(String sha) {
        return sha == null ? "-" : "sha256:" + sha.substring(0, 12);
    }

    /** A metric as Python prints a float: 0.89, 1e-05, 3.0, nan. */
    static String number(Double d) {
        if (d == null) {
            return "-";
        }
        if (d.isNaN()) {
            return "nan";
        }
        if (d.isInfinite()) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = Double.toString(d); // shortest repr, as Python's
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    private static List<String> align(List<String[]> rows) {
        int[] w = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %s", r[0], r[1], r[2], r[3])
                    .stripTrailing());
        }
        return out;
    }

    /** The comparison as JSON-ready maps. */
    Map<String, Object> json() {
        Map<String, Object> out = new TreeMap<>();
        List<Map<String, Object>> ms = new ArrayList<>();
        for (MetricRow m : metrics) {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("key", m.key());
            r.put("original", m.original());
            r.put("reproduction", m.reproduction());
            r.put("tolerance", m.tolerance().toString());
            r.put("same", m.same());
            ms.add(r);
        }
        List<Map<String, Object>> as = new ArrayList<>();
        for (ArtifactRow a : artifacts) {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("path", a.path());
            r.put("original_sha256", a.original());
            r.put("reproduction_sha256", a.reproduction());
            r.put("same", a.same());
            as.add(r);
        }
        out.put("metrics", ms);
        out.put("artifacts", as);
        return out;
    }
}
