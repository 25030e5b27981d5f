package io.reprise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.reprise.artifact.ProxiedRoots;
import io.reprise.model.ErrorCode;
import io.reprise.model.Experiment;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.store.TrackingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code /compare?runs=A,B,C&diff=1}: two to ten runs side by side (params, latest metrics,
 * overlaid histories, and their records), differing rows marked; {@code diff=1} shows only those.
 * The runs table's checkboxes send {@code runs=A&runs=B}, which reads the same.
 */
final class ComparePage {
    static final int MIN_RUNS = 2;
    static final int MAX_RUNS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrackingStore store;
    private final Artifacts artifacts;

    ComparePage(TrackingStore store, Artifacts artifacts) {
        this.store = store;
        this.artifacts = artifacts;
    }

    /** The compare page of these runs, as a link. */
    static String link(List<String> runIds, boolean diffsOnly) {
        return "/compare?runs=" + Html.q(String.join(",", runIds)) + (diffsOnly ? "&diff=1" : "");
    }

    String render(Context ctx) {
        List<String> ids = ids(ctx);
        if (ids.size() < MIN_RUNS || ids.size() > MAX_RUNS) {
            throw new MlflowException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Compare needs 2 to 10 runs, got " + ids.size()
                            + ": tick 2 to 10 runs in a runs table, or list their ids as /compare?runs=ID1,ID2");
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            try {
                runs.add(store.getRun(id));
            } catch (MlflowException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    throw new MlflowException(
                            ErrorCode.RESOURCE_DOES_NOT_EXIST,
                            "No run with id '" + id + "': remove it from runs= or check the id on its run page");
                }
                throw e;
            }
        }
        boolean diffsOnly = "1".equals(Params.get(ctx, "diff"));
        List<String> labels = labels(runs);
        Html h = new Html().el("h1", "Compare " + runs.size() + " runs");
        h.raw("<p class=\"bar\">");
        if (diffsOnly) {
            h.link(link(ids, false), "Show all rows").raw(" <span class=\"note\">showing only differences</span>");
        } else {
            h.link(link(ids, true), "Only differences")
                    .raw(" <span class=\"note\">rows that differ are marked \u2260</span>");
        }
        h.raw("</p>");
        overview(h, runs, labels);
        Map<String, Map<String, String>> params = values(runs, (r, out) -> {
            r.data().params().forEach((Param p) -> out.put(p.key(), p.value()));
            return out;
        });
        table(h, "params", "Params", runs, labels, params, diffsOnly);
        Map<String, Map<String, String>> metrics = values(runs, (r, out) -> {
            r.data().metrics().forEach((Metric m) -> out.put(m.key(), RunsPage.format(m.value())));
            return out;
        });
        table(h, "metrics", "Metrics (latest)", runs, labels, metrics, diffsOnly);
        charts(h, runs, labels, metrics.keySet());
        record(h, runs, labels, diffsOnly);
        return Charts.page("Compare runs", h);
    }

    /** {@code runs=A,B} and {@code runs=A&runs=B}, in order, each id once. */
    private static List<String> ids(Context ctx) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ctx.queryParams("runs")) {
            for (String s : v.split(",", -1)) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    /** Run names, with the id's start added where two runs share a name. */
    private static List<String> labels(List<Run> runs) {
        Map<String, Integer> seen = new HashMap<>();
        runs.forEach(r -> seen.merge(RunsPage.name(r), 1, Integer::sum));
        return runs.stream()
                .map(r -> seen.get(RunsPage.name(r)) > 1
                        ? RunsPage.name(r) + " ("
                                + r.info()
                                        .runId()
                                        .substring(
                                                0, Math.min(8, r.info().runId().length())) + ")"
                        : RunsPage.name(r))
                .toList();
    }

    private void overview(Html h, List<Run> runs, List<String> labels) {
        h.raw("<table id=\"compare-runs\" class=\"compare\"><thead><tr><th scope=\"col\">Run</th>");
        for (int i = 0; i < runs.size(); i++) {
            h.raw("<th scope=\"col\">")
                    .link("/runs/" + Html.q(runs.get(i).info().runId()), labels.get(i))
                    .raw("</th>");
        }
        h.raw("</tr></thead><tbody><tr><th scope=\"row\">Experiment</th>");
        Map<String, Experiment> experiments = new HashMap<>();
        for (Run r : runs) {
            Experiment e = experiments.computeIfAbsent(r.info().experimentId(), store::getExperiment);
            h.raw("<td>")
                    .link("/experiments/" + Html.q(e.experimentId()), e.name())
                    .raw("</td>");
        }
        h.raw("</tr>");
        cells(h, "Status", runs, r -> h.text(r.info().status()));
        cells(h, "Started", runs, r -> h.text(Html.time(r.info().startTime())));
        cells(h, "User", runs, r -> h.text(r.info().userId()));
        cells(h, "Compliance", runs, r -> Badges.compliance(h, RunsPage.tag(r, "reprise.compliance")));
        cells(h, "Reproduction", runs, r -> Badges.reproduction(h, RunsPage.tag(r, "reprise.reproduction.verdict")));
        h.raw("</tbody></table>");
    }

    private static void cells(Html h, String label, List<Run> runs, java.util.function.Consumer<Run> cell) {
        h.raw("<tr><th scope=\"row\">").text(label).raw("</th>");
        for (Run r : runs) {
            h.raw("<td>");
            cell.accept(r);
            h.raw("</td>");
        }
        h.raw("</tr>");
    }

    /** key to (run id to value), keys sorted. */
    private static Map<String, Map<String, String>> values(
            List<Run> runs, BiFunction<Run, Map<String, String>, Map<String, String>> read) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        for (Run r : runs) {
            read.apply(r, new HashMap<>())
                    .forEach((k, v) -> out.computeIfAbsent(k, x -> new HashMap<>())
                            .put(r.info().runId(), v));
        }
        return out;
    }

    private static void table(
            Html h,
            String id,
            String title,
            List<Run> runs,
            List<String> labels,
            Map<String, Map<String, String>> values,
            boolean diffsOnly) {
        List<RecordDiff.Row> rows = new ArrayList<>();
        values.forEach((k, byRun) -> rows.add(new RecordDiff.Row(
                k, runs.stream().map(r -> byRun.get(r.info().runId())).toList())));
        rows(h, id, title, labels, rows, diffsOnly, 0, "h2");
    }

    /** One figure per metric key, one series per run that logged it. */
    private static void charts(Html h, List<Run> runs, List<String> labels, Set<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        h.raw("<section id=\"charts\"><h2>Metric history</h2><div class=\"charts\">");
        keys.stream().limit(Charts.MAX_CHARTS).forEach(k -> {
            List<Map.Entry<String, String>> series = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                if (r.data().metrics().stream().anyMatch(m -> m.key().equals(k))) {
                    series.add(Map.entry(labels.get(i), r.info().runId()));
                }
            }
            Charts.figure(h, k, series);
        });
        h.raw("</div>");
        if (keys.size() > Charts.MAX_CHARTS) {
            h.raw("<p class=\"note\">")
                    .text("The first " + Charts.MAX_CHARTS + " of " + keys.size() + " metrics are charted.")
                    .raw("</p>");
        }
        h.raw("</section>");
    }

    /** The runs' records side by side, group by group. */
    private void record(Html h, List<Run> runs, List<String> labels, boolean diffsOnly) {
        List<JsonNode> records = runs.stream().map(this::manifest).toList();
        h.raw("<section id=\"record\"><h2>Reprise records</h2>");
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (records.get(i) == null) {
                missing.add(labels.get(i));
            }
        }
        if (missing.size() == runs.size()) {
            h.raw("<p class=\"note\">None of these runs has a readable ")
                    .text(RecordSection.MANIFEST)
                    .raw(": they were not captured with <code>reprise run</code>.</p></section>");
            return;
        }
        if (!missing.isEmpty()) {
            h.raw("<p class=\"note\">No record for ")
                    .text(String.join(", ", missing))
                    .raw(" (not captured with <code>reprise run</code>): its column is empty.</p>");
        }
        for (RecordDiff.Group g : RecordDiff.of(records)) {
            rows(h, g.id(), g.title(), labels, g.rows(), diffsOnly, g.equalHidden(), "h3");
        }
        h.raw("</section>");
    }

    private JsonNode manifest(Run run) {
        return ProxiedRoots.of(run.info().artifactUri())
                .flatMap(root -> artifacts.head(root, RecordSection.MANIFEST, 8 * 1024 * 1024))
                .map(head -> {
                    try {
                        JsonNode n = JSON.readTree(new String(head.bytes(), StandardCharsets.UTF_8));
                        return n != null && n.isObject() ? n : null;
                    } catch (IOException e) {
                        return null;
                    }
                })
                .orElse(null);
    }

    /** A side-by-side table; a differing row is marked in text, not colour only. */
    static void rows(
            Html h,
            String id,
            String title,
            List<String> labels,
            List<RecordDiff.Row> rows,
            boolean diffsOnly,
            int equalHidden,
            String heading) {
        h.raw("<section id=\"").raw(id).raw("\"><" + heading + ">").text(title).raw("</" + heading + ">");
        List<RecordDiff.Row> shown =
                rows.stream().filter(r -> !diffsOnly || r.differs()).toList();
        long differing = rows.stream().filter(RecordDiff.Row::differs).count();
        if (shown.isEmpty()) {
            h.raw("<p class=\"note\">")
                    .text(rows.isEmpty() && equalHidden == 0 ? "None recorded." : "No differences.")
                    .raw("</p>");
        } else {
            h.raw("<table class=\"compare\"><thead><tr><th scope=\"col\">Key</th>");
            labels.forEach(l -> h.raw("<th scope=\"col\">").text(l).raw("</th>"));
            h.raw("</tr></thead><tbody>");
            for (RecordDiff.Row r : shown) {
                h.raw(r.differs() ? "<tr class=\"differs\">" : "<tr>")
                        .raw("<th scope=\"row\">")
                        .text(r.label());
                if (r.differs()) {
                    h.raw(" <span class=\"mark\" title=\"differs\">\u2260</span>");
                }
                h.raw("</th>");
                for (String v : r.values()) {
                    if (v == null) {
                        h.raw("<td class=\"absent\">\u2014</td>");
                    } else {
                        h.el("td", v);
                    }
                }
                h.raw("</tr>");
            }
            h.raw("</tbody></table>");
        }
        if (equalHidden > 0 || (diffsOnly && rows.size() > shown.size())) {
            h.raw("<p class=\"note\">")
                    .text((equalHidden + rows.size() - shown.size()) + " equal in every run, not listed; " + differing
                            + " differ.")
                    .raw("</p>");
        }
        h.raw("</section>");
    }
}
