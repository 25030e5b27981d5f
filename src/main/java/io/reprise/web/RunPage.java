package io.reprise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.reprise.artifact.ArtifactStore;
import io.reprise.artifact.ProxiedRoots;
import io.reprise.model.Experiment;
import io.reprise.model.Metric;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import io.reprise.store.TrackingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /runs/ID?dir=&artifact=}: a run, its verdicts, its record and its artifacts. */
final class RunPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REPRODUCTIONS_SHOWN = 20;

    private final TrackingStore store;
    private final Artifacts artifacts;
    private final RecordSection record;

    RunPage(TrackingStore store, Artifacts artifacts) {
        this.store = store;
        this.artifacts = artifacts;
        this.record = new RecordSection(artifacts);
    }

    static String artifactLink(String runId, String path) {
        return "/runs/" + Html.q(runId) + "?artifact=" + Html.q(path) + "#artifact";
    }

    String render(Context ctx, String runId) {
        Run run = store.getRun(runId);
        Experiment e = store.getExperiment(run.info().experimentId());
        String name = RunsPage.name(run);
        Html h = new Html();
        h.raw("<p class=\"note\"><a href=\"/experiments/")
                .text(Html.q(e.experimentId()))
                .raw("\">")
                .text(e.name())
                .raw("</a> \u203a run</p>");
        h.el("h1", name);
        overview(h, run);
        compliance(h, run);
        Optional<String> root = ProxiedRoots.of(run.info().artifactUri());
        reproductions(h, run, root);
        params(h, run.data().params());
        metrics(h, run.data().metrics());
        charts(h, run);
        tags(h, run.data().tags());
        if (root.isEmpty()) {
            h.raw("<h2>Artifacts</h2><p class=\"note\">Artifacts are stored at ")
                    .text(run.info().artifactUri())
                    .raw(", outside this server.</p>");
        } else {
            record.render(h, root.get(), run.info().runId());
            artifactsSection(h, run.info().runId(), root.get(), Params.get(ctx, "dir"), Params.get(ctx, "artifact"));
        }
        return Charts.page(name, h);
    }

    private static void overview(Html h, Run run) {
        h.raw("<dl class=\"kv\">");
        h.el("dt", "Run id").raw("<dd><code>").text(run.info().runId()).raw("</code></dd>");
        h.el("dt", "Status").el("dd", run.info().status());
        h.el("dt", "User").el("dd", run.info().userId());
        h.el("dt", "Started").el("dd", Html.time(run.info().startTime()));
        if (run.info().endTime() != null) {
            h.el("dt", "Ended").el("dd", Html.time(run.info().endTime()));
        }
        String of = RunsPage.tag(run, "reprise.reproduction_of");
        if (!of.isEmpty()) {
            h.el("dt", "Reproduction of")
                    .raw("<dd>")
                    .link("/runs/" + Html.q(of), of)
                    .raw(" ");
            Badges.reproduction(h, RunsPage.tag(run, "reprise.reproduction_of.verdict"));
            h.raw("</dd>");
        }
        h.raw("</dl>");
    }

    private static void compliance(Html h, Run run) {
        h.raw("<section id=\"compliance\"><h2>Compliance</h2>");
        String verdict = RunsPage.tag(run, "reprise.compliance");
        if (verdict.isEmpty()) {
            h.raw("<p class=\"note\">No verdict: the server had no policy when this run was recorded.</p></section>");
            return;
        }
        h.raw("<p>");
        Badges.compliance(h, verdict);
        String rule = RunsPage.tag(run, "reprise.compliance.rule");
        if (!rule.isEmpty()) {
            h.raw(" under rule ").el("strong", rule);
        }
        h.raw("</p>");
        String reasons = RunsPage.tag(run, "reprise.compliance.reasons");
        if (!reasons.isEmpty()) {
            h.raw("<ul class=\"reasons\">");
            for (String r : reasons.split("; ", -1)) {
                h.el("li", r);
            }
            h.raw("</ul>");
        }
        String history = RunsPage.tag(run, "reprise.compliance.history");
        if (!history.isEmpty()) {
            h.raw("<details><summary>Changes after the run ended</summary><pre>")
                    .text(history)
                    .raw("</pre></details>");
        }
        h.raw("</section>");
    }

    /** The verdict history from the contract's tags, newest first, with each report's tables. */
    private void reproductions(Html h, Run run, Optional<String> root) {
        h.raw("<section id=\"reproductions\"><h2>Reproductions</h2>");
        String latest = RunsPage.tag(run, "reprise.reproduction.verdict");
        if (latest.isEmpty()) {
            h.raw("<p class=\"note\">Not audited: <code>reprise reproduce ")
                    .text(run.info().runId())
                    .raw("</code> reruns it and records a verdict here.</p></section>");
            return;
        }
        int count;
        try {
            count = Integer.parseInt(RunsPage.tag(run, "reprise.reproduction.count"));
        } catch (NumberFormatException e) {
            count = 0;
        }
        h.raw("<p>Latest: ");
        Badges.reproduction(h, latest);
        h.raw("</p>");
        for (int n = count; n >= 1 && n > count - MAX_REPRODUCTIONS_SHOWN; n--) {
            JsonNode entry = json(RunsPage.tag(run, "reprise.reproduction." + n));
            h.raw("<article class=\"reproduction\"><h3>#").text(n).raw(" ");
            Badges.reproduction(h, entry.path("verdict").asText(""));
            h.raw("</h3><p>")
                    .text(Html.time(entry.path("at").asLong()))
                    .raw(" by ")
                    .text(entry.path("by").asText("?"))
                    .raw(" on ")
                    .text(entry.path("host").asText("?"));
            String rid = entry.path("run_id").asText("");
            if (!rid.isEmpty()) {
                h.raw(" \u2014 ").link("/runs/" + Html.q(rid), "reproduction run");
            }
            h.raw("</p>");
            if (!entry.path("reason").asText("").isEmpty()) {
                h.raw("<p>").text(entry.path("reason").asText()).raw("</p>");
            }
            String report = "reprise/reproductions/" + n + ".json";
            root.flatMap(r -> artifacts.head(r, report, 4 * 1024 * 1024))
                    .map(head -> json(new String(head.bytes(), StandardCharsets.UTF_8)))
                    .ifPresent(r -> comparison(h, r));
            h.raw("</article>");
        }
        h.raw("</section>");
    }

    private static void comparison(Html h, JsonNode report) {
        if (report.path("metrics").size() > 0) {
            h.raw("<table class=\"comparison\"><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Original</th>")
                    .raw(
                            "<th scope=\"col\">Reproduction</th><th scope=\"col\">Tolerance</th><th scope=\"col\">Same</th>")
                    .raw("</tr></thead><tbody>");
            for (JsonNode m : report.path("metrics")) {
                h.raw("<tr>").el("td", m.path("key").asText());
                h.raw("<td class=\"num\">")
                        .text(m.path("original").asText())
                        .raw("</td><td class=\"num\">")
                        .text(m.path("reproduction").asText())
                        .raw("</td>")
                        .el("td", m.path("tolerance").asText());
                h.raw("<td>")
                        .raw(m.path("same").asBoolean() ? "yes" : "<strong>no</strong>")
                        .raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        if (report.path("artifacts").size() > 0) {
            h.raw("<table class=\"comparison\"><thead><tr><th scope=\"col\">Artifact</th><th scope=\"col\">Same</th>")
                    .raw("</tr></thead><tbody>");
            for (JsonNode a : report.path("artifacts")) {
                h.raw("<tr>")
                        .el("td", a.path("path").asText())
                        .raw("<td>")
                        .raw(a.path("same").asBoolean() ? "yes" : "<strong>no</strong>")
                        .raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        if (report.path("causes").size() > 0) {
            h.raw("<p>Likely causes:</p><ul>");
            report.path("causes").forEach(c -> h.el("li", c.isTextual() ? c.asText() : c.toString()));
            h.raw("</ul>");
        }
    }

    private static JsonNode json(String text) {
        try {
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void params(Html h, List<Param> params) {
        h.raw("<section id=\"params\"><h2>Params</h2>");
        if (params.isEmpty()) {
            h.raw("<p class=\"note\">None.</p></section>");
            return;
        }
        h.raw("<table><tbody>");
        params.stream()
                .sorted(Comparator.comparing(Param::key))
                .forEach(p -> h.raw("<tr><th scope=\"row\">")
                        .text(p.key())
                        .raw("</th>")
                        .el("td", p.value())
                        .raw("</tr>"));
        h.raw("</tbody></table></section>");
    }

    private static void metrics(Html h, List<Metric> metrics) {
        h.raw("<section id=\"metrics\"><h2>Metrics (latest)</h2>");
        if (metrics.isEmpty()) {
            h.raw("<p class=\"note\">None.</p></section>");
            return;
        }
        h.raw("<table><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Value</th><th scope=\"col\">Step</th>")
                .raw("</tr></thead><tbody>");
        metrics.stream()
                .sorted(Comparator.comparing(Metric::key))
                .forEach(m -> h.raw("<tr><th scope=\"row\">")
                        .text(m.key())
                        .raw("</th><td class=\"num\">")
                        .text(RunsPage.format(m.value()))
                        .raw("</td><td class=\"num\">")
                        .text(m.step())
                        .raw("</td></tr>"));
        h.raw("</tbody></table></section>");
    }

    /** One history chart per metric, drawn by the browser from the downsampled JSON route. */
    private static void charts(Html h, Run run) {
        List<String> keys = run.data().metrics().stream()
                .map(Metric::key)
                .distinct()
                .sorted()
                .toList();
        if (keys.isEmpty()) {
            return;
        }
        h.raw("<section id=\"charts\"><h2>Metric history</h2><div class=\"charts\">");
        String label = RunsPage.name(run);
        keys.stream()
                .limit(Charts.MAX_CHARTS)
                .forEach(k ->
                        Charts.figure(h, k, List.of(Map.entry(label, run.info().runId()))));
        h.raw("</div>");
        if (keys.size() > Charts.MAX_CHARTS) {
            h.raw("<p class=\"note\">")
                    .text("The first " + Charts.MAX_CHARTS + " of " + keys.size() + " metrics are charted.")
                    .raw("</p>");
        }
        h.raw("</section>");
    }

    private static void tags(Html h, List<Tag> tags) {
        h.raw("<section id=\"tags\"><h2>Tags</h2><details><summary>")
                .text(tags.size() + " tags")
                .raw("</summary><table><tbody>");
        tags.stream()
                .sorted(Comparator.comparing(Tag::key))
                .forEach(t -> h.raw("<tr><th scope=\"row\">")
                        .text(t.key())
                        .raw("</th>")
                        .el("td", t.value())
                        .raw("</tr>"));
        h.raw("</tbody></table></details></section>");
    }

    private void artifactsSection(Html h, String runId, String root, String dir, String artifact) {
        h.raw("<section id=\"artifacts\"><h2>Artifacts</h2>");
        String base = "/runs/" + Html.q(runId);
        if (!dir.isEmpty()) {
            h.raw("<p>Folder <code>")
                    .text(dir)
                    .raw("</code> \u2014 ")
                    .link(base + "#artifacts", "top")
                    .raw("</p>");
        }
        List<ArtifactStore.Entry> entries = artifacts.list(root, dir);
        if (entries.isEmpty()) {
            h.raw("<p class=\"note\">No artifacts here.</p>");
        } else {
            h.raw("<ul class=\"artifacts\">");
            for (ArtifactStore.Entry e : entries) {
                h.raw("<li>");
                if (e.isDir()) {
                    h.link(base + "?dir=" + Html.q(e.path()) + "#artifacts", e.path() + "/");
                } else {
                    h.link(artifactLink(runId, e.path()), e.path())
                            .raw(" <span class=\"note\">")
                            .text(e.size() + " bytes")
                            .raw("</span>");
                }
                h.raw("</li>");
            }
            h.raw("</ul>");
        }
        if (!artifact.isEmpty()) {
            h.raw("<div id=\"artifact\"><h3>").text(artifact).raw("</h3>");
            int max = Previews.IMAGES_EXT.contains(Previews.ext(artifact))
                    ? Artifacts.IMAGE_BYTES
                    : Artifacts.PREVIEW_BYTES;
            Optional<Artifacts.Head> head = artifacts.head(root, artifact, max);
            if (head.isEmpty()) {
                h.raw("<p class=\"error\">No such artifact.</p>");
            } else {
                Previews.render(h, artifact, head.get());
            }
            h.raw("</div>");
        }
        h.raw("</section>");
    }
}
