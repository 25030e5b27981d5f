package io.reprise.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reproduction found: the verdict, why, and everything compared.
 *
 * @param reproductionRunId null when it failed before the new run was created
 * @param comparison null when it failed before there was anything to compare
 * @param reason one line: why DIVERGED or FAILED, or what was compared for REPRODUCED
 * @param notes what was done along the way that a reader should know (diff re-applied, ...)
 * @param kept the checkout's path when it was kept, else null
 */
public record Outcome(
        String originalRunId,
        String experimentId,
        String reproductionRunId,
        Verdict verdict,
        String reason,
        String hint,
        Comparison comparison,
        List<String> causes,
        List<DataRestore.Mismatch> data,
        List<String> notes,
        String kept) {

    /** The side-by-side table of metrics and artifacts; empty when nothing was compared. */
    public List<String> table() {
        return comparison == null ? List.of() : comparison.table();
    }

    /** Metrics and outputs that differ, then data that differed from the record. */
    List<String> diverging() {
        List<String> out = new ArrayList<>();
        if (comparison != null) {
            out.addAll(comparison.divergingMetrics());
            out.addAll(comparison.divergingArtifacts());
        }
        data.forEach(m -> out.add(m.path()));
        return out;
    }

    /** The full report: the artifact {@code reprise/reproductions/<n>.json} and {@code --json}. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", originalRunId);
        out.put("experiment_id", experimentId);
        out.put("verdict", verdict.name());
        out.put("reason", reason);
        if (!hint.isEmpty()) {
            out.put("hint", hint);
        }
        out.put("reproduction_run_id", reproductionRunId);
        out.put("diverging", diverging());
        if (comparison != null) {
            out.putAll(comparison.json());
        }
        List<Map<String, String>> ds = new ArrayList<>();
        data.forEach(m -> ds.add(Map.of(
                "path", m.path(), "recorded_md5", m.recordedMd5(), "found_md5", m.foundMd5(), "detail", m.detail())));
        out.put("data_mismatches", ds);
        out.put("causes", causes);
        out.put("notes", notes);
        if (kept != null) {
            out.put("checkout", kept);
        }
        return out;
    }

    /** The closing lines: the diverging (or all) metrics, original and reproduced, then the verdict. */
    public List<String> lastLines() {
        List<String> out = new ArrayList<>();
        if (comparison != null && !comparison.metrics().isEmpty()) {
            List<Comparison.MetricRow> shown = verdict == Verdict.DIVERGED
                            && comparison.metrics().stream().anyMatch(m -> !m.same())
                    ? comparison.metrics().stream().filter(m -> !m.same()).toList()
                    : comparison.metrics();
            out.add("original: " + metrics(shown, true));
            out.add("reproduction: " + metrics(shown, false));
        }
        out.add(
                switch (verdict) {
                    case REPRODUCED -> "REPRODUCED";
                    case DIVERGED -> "DIVERGED: " + reason;
                    case FAILED -> "FAILED: " + reason;
                });
        return out;
    }

    private static String metrics(List<Comparison.MetricRow> rows, boolean original) {
        List<String> parts = new ArrayList<>();
        for (Comparison.MetricRow m : rows) {
            parts.add(m.key() + " = " + Comparison.number(original ? m.original() : m.reproduction()));
        }
        return String.join(", ", parts);
    }
}
