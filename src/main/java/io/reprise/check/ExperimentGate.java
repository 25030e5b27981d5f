package io.reprise.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code reprise check experiment}: the share of compliant runs among the judged (ended) ones, and
 * the worst offenders. Reads the verdicts the server recorded on each run (the reprise.compliance
 * tags), so one search answers it whatever the number of runs.
 */
public final class ExperimentGate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOP = 5;

    private ExperimentGate() {}

    private record Judged(String runId, String name, String user, String verdict, List<String> reasons) {}

    /** Passes when at least {@code minShare} (0..1) of the ended runs are compliant. */
    public static GateResult check(Tracking tracking, String experimentName, double minShare) {
        ObjectNode json = JSON.createObjectNode();
        json.put("gate", "experiment");
        json.put("experiment", experimentName);
        List<String> lines = new ArrayList<>();
        JsonNode exp = tracking.experimentByName(experimentName).orElse(null);
        if (exp == null) {
            lines.add("experiment '" + experimentName + "' does not exist on " + tracking.base());
            lines.add("FAIL");
            return new GateResult(false, lines, json);
        }
        List<Judged> runs = tracking.runs(exp.path("experiment_id").asText()).stream()
                .map(ExperimentGate::judged)
                .toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String v : List.of("compliant", "non-compliant", "pending", "unchecked")) {
            counts.put(v, (int) runs.stream().filter(r -> r.verdict().equals(v)).count());
        }
        int judged = counts.get("compliant") + counts.get("non-compliant");
        double share = judged == 0 ? 1.0 : counts.get("compliant") / (double) judged;
        boolean ok = share + 1e-9 >= minShare;
        counts.forEach(json.putObject("counts")::put);
        json.put("share_compliant", share);
        json.put("min_share", minShare);
        lines.add(String.format(
                Locale.ROOT,
                "experiment '%s': %d runs; %d of %d ended runs compliant (%.1f%%, required %.1f%%); %d pending, %d"
                        + " without a verdict",
                experimentName,
                runs.size(),
                counts.get("compliant"),
                judged,
                share * 100,
                minShare * 100,
                counts.get("pending"),
                counts.get("unchecked")));
        offenders(runs, json, lines);
        lines.add(ok ? "PASS" : "FAIL");
        return new GateResult(ok, lines, json);
    }

    private static void offenders(List<Judged> runs, ObjectNode json, List<String> lines) {
        List<Judged> bad = runs.stream()
                .filter(r -> r.verdict().equals("non-compliant"))
                .sorted(Comparator.comparingInt((Judged r) -> -r.reasons().size()))
                .toList();
        var worst = json.putArray("worst_runs");
        if (!bad.isEmpty()) {
            lines.add("worst offenders (runs with the most unmet requirements):");
        }
        for (Judged r : bad.subList(0, Math.min(TOP, bad.size()))) {
            ObjectNode o = worst.addObject();
            o.put("run_id", r.runId());
            o.put("run_name", r.name());
            o.put("user", r.user());
            r.reasons().forEach(o.withArray("reasons")::add);
            lines.add("  " + r.runId() + " '" + r.name() + "' by " + r.user() + ": "
                    + r.reasons().size() + " unmet");
            r.reasons().forEach(reason -> lines.add("      - " + reason));
        }
        Map<String, Integer> byUser = new LinkedHashMap<>();
        bad.forEach(r -> byUser.merge(r.user(), 1, Integer::sum));
        var users = json.putObject("non_compliant_by_user");
        List<Map.Entry<String, Integer>> ranked = byUser.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .toList();
        ranked.forEach(e -> users.put(e.getKey(), e.getValue()));
        if (!ranked.isEmpty()) {
            lines.add("non-compliant runs by author: "
                    + String.join(
                            ", ",
                            ranked.stream()
                                    .limit(TOP)
                                    .map(e -> e.getKey() + " " + e.getValue())
                                    .toList()));
        }
    }

    private static Judged judged(JsonNode run) {
        Map<String, String> tags = new LinkedHashMap<>();
        run.path("data")
                .path("tags")
                .forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        String reasons = tags.getOrDefault("reprise.compliance.reasons", "");
        return new Judged(
                run.path("info").path("run_id").asText(),
                run.path("info").path("run_name").asText(),
                tags.getOrDefault(
                        "mlflow.user", run.path("info").path("user_id").asText("?")),
                tags.getOrDefault("reprise.compliance", "unchecked"),
                reasons.isEmpty() ? List.of() : List.of(reasons.split("; (?=(tag|param|no |the working))")));
    }
}
