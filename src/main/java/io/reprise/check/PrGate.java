package io.reprise.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code reprise check pr}: the description has every required section filled, links runs of this
 * server that exist, finished and are compliant, and the results it quotes are the runs' metrics.
 */
public final class PrGate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrGate() {}

    public static GateResult check(Tracking tracking, String markdown) {
        PrBody body = PrBody.parse(markdown);
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ObjectNode json = JSON.createObjectNode();
        json.put("gate", "pr");
        sections(body, problems);
        Set<String> runIds = runs(tracking, body, problems);
        ArrayNode runsJson = json.putArray("runs");
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (String id : runIds) {
            List<String> runLines = new ArrayList<>();
            if (!RunGate.judge(tracking, id, runsJson.addObject(), runLines)) {
                problems.addAll(runLines);
            } else {
                lines.addAll(runLines);
            }
            tracking.run(id).ifPresent(r -> metrics.put(id, metrics(r)));
        }
        ArrayNode quotes = json.putArray("results");
        results(body, metrics, problems, quotes, lines);
        problems.forEach(json.withArray("problems")::add);
        boolean ok = problems.isEmpty();
        List<String> out = new ArrayList<>(lines);
        if (!ok) {
            out.add(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
            problems.forEach(p -> out.add(p.startsWith("  ") ? p : "- " + p));
        }
        out.add(ok ? "PASS" : "FAIL");
        return new GateResult(ok, out, json);
    }

    private static void sections(PrBody body, List<String> problems) {
        for (PrBody.Section s : PrBody.Section.values()) {
            if (!body.present(s)) {
                problems.add("section '## " + s.title + "' is missing (use templates/pull_request_template.md)");
            } else if (!body.filled(s)) {
                problems.add("section '## " + s.title + "' is empty");
            }
        }
    }

    /** The linked run ids; links to another server are problems, as their verdicts are not ours to check. */
    private static Set<String> runs(Tracking tracking, PrBody body, List<String> problems) {
        Set<String> ids = new LinkedHashSet<>();
        String ours = origin(tracking.base());
        body.runLinks().forEach((id, server) -> {
            if (!server.isEmpty() && !origin(server).equals(ours)) {
                problems.add("run link " + server + "/#/.../runs/" + id + " points to another server than "
                        + tracking.base());
            } else {
                ids.add(id);
            }
        });
        ids.addAll(body.runIdsInRunsSection());
        if (ids.isEmpty() && body.present(PrBody.Section.RUNS)) {
            problems.add("no run is linked: put links like " + tracking.base()
                    + "/#/experiments/<id>/runs/<run id> in '## Runs'");
        }
        return ids;
    }

    private static void results(
            PrBody body,
            Map<String, Map<String, Double>> metrics,
            List<String> problems,
            ArrayNode json,
            List<String> lines) {
        List<PrBody.Quote> quotes = body.quotes();
        if (quotes.isEmpty() && body.filled(PrBody.Section.RESULTS)) {
            problems.add("'## Results' quotes no metric: write one per line, e.g. 'accuracy: 0.931'");
        }
        for (PrBody.Quote q : quotes) {
            ObjectNode o = json.addObject();
            o.put("metric", q.metric());
            o.put("quoted", q.text());
            String match = null;
            Double closest = null;
            for (Map.Entry<String, Map<String, Double>> run : metrics.entrySet()) {
                Double v = run.getValue().get(q.metric());
                if (v != null) {
                    closest = v;
                    if (Math.abs(v - q.value()) <= q.tolerance() + 1e-12 * Math.abs(v)) {
                        match = run.getKey();
                        break;
                    }
                }
            }
            o.put("matches_run", match);
            if (match != null) {
                lines.add("result " + q.metric() + " = " + q.text() + " matches run " + match);
            } else if (closest != null) {
                o.put("run_value", closest);
                problems.add(String.format(
                        Locale.ROOT,
                        "line %d: '%s: %s' does not match the linked run's metric (%s)",
                        q.line(),
                        q.metric(),
                        q.text(),
                        closest));
            } else {
                problems.add("line " + q.line() + ": metric '" + q.metric() + "' is not logged by any linked run");
            }
        }
    }

    private static Map<String, Double> metrics(JsonNode run) {
        Map<String, Double> m = new LinkedHashMap<>();
        run.path("data")
                .path("metrics")
                .forEach(x -> m.put(x.path("key").asText(), x.path("value").asDouble()));
        return m;
    }

    /** scheme://host:port, with the default port made explicit and localhost = 127.0.0.1. */
    private static String origin(String url) {
        try {
            URI u = URI.create(url);
            int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            String host = String.valueOf(u.getHost()).toLowerCase(Locale.ROOT);
            if (host.equals("localhost")) {
                host = "127.0.0.1";
            }
            return u.getScheme() + "://" + host + ":" + port;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
