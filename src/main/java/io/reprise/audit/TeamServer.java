package io.reprise.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.client.MlflowHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the team's evidence from a Reprise server: the runs of the audited experiments, their
 * compliance verdicts (tags written by the server's policy) and reproduction verdicts (tags written
 * by {@code reprise reproduce}, see the reproduction contract), and the policy mode that applies.
 */
final class TeamServer {
    /** At most this many runs are read (the newest first): enough for shares, bounded in time. */
    static final int MAX_RUNS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 30_000;
    private static final int MAX_POLICY_PROBES = 10;

    private final MlflowHttp http;

    TeamServer(URI base, Map<String, String> env) {
        this.http = new MlflowHttp(base, env, "reprise-audit", TIMEOUT_MS, TIMEOUT_MS);
    }

    /** One run as the audit needs it. */
    record Run(String id, String experimentId, String status, Map<String, String> tags) {
        boolean ended() {
            return !status.equals("RUNNING") && !status.equals("SCHEDULED");
        }
    }

    /**
     * The evidence.
     *
     * @param experiments names of the experiments looked at
     * @param policyMode {@code enforce}, {@code warn}, {@code none} (no policy, or no rule matches) or
     *     {@code unknown} (no run to ask about)
     */
    record Evidence(
            String server,
            List<String> experiments,
            int runs,
            String policyMode,
            int compliant,
            int judged,
            int audited,
            int reproduced) {}

    Evidence evidence(String experimentName) {
        Map<String, String> experiments = experiments(experimentName);
        List<Run> runs = runs(new ArrayList<>(experiments.keySet()));
        int compliant = 0;
        int judged = 0;
        int audited = 0;
        int reproduced = 0;
        for (Run r : runs) {
            String verdict = r.tags().getOrDefault("reprise.compliance", "");
            if (r.ended() && (verdict.equals("compliant") || verdict.equals("non-compliant"))) {
                judged++;
                compliant += verdict.equals("compliant") ? 1 : 0;
            }
            String reproduction = r.tags().get("reprise.reproduction.verdict");
            if (reproduction != null) {
                audited++;
                reproduced += reproduction.equals("REPRODUCED") ? 1 : 0;
            }
        }
        return new Evidence(
                http.base(),
                List.copyOf(experiments.values()),
                runs.size(),
                policyMode(runs),
                compliant,
                judged,
                audited,
                reproduced);
    }

    /**
     * Records an audit's result on the experiment named, as experiment tags {@code reprise.audit.level},
     * {@code .score} and {@code .at} (ISO-8601 UTC), which the web UI's compliance page shows.
     */
    void record(String experimentName, int score, int level, java.time.Instant at) {
        String id = experiments(experimentName).keySet().iterator().next();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("reprise.audit.level", Integer.toString(level));
        tags.put("reprise.audit.score", Integer.toString(score));
        tags.put("reprise.audit.at", at.toString());
        tags.forEach((key, value) -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("experiment_id", id).put("key", key).put("value", value);
            call("POST", "/api/2.0/mlflow/experiments/set-experiment-tag", body, false);
        });
    }

    /** Experiment id to name: the one named, or every active experiment. */
    private Map<String, String> experiments(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        if (name != null) {
            JsonNode e = call(
                    "GET",
                    "/api/2.0/mlflow/experiments/get-by-name?experiment_name="
                            + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    null,
                    true);
            if (e == null) {
                throw new AuditException(
                        "experiment '" + name + "' does not exist on " + http.base(),
                        "check the name (reprise check experiment uses the same), or leave --experiment out to audit"
                                + " every experiment");
            }
            out.put(e.path("experiment").path("experiment_id").asText(), name);
            return out;
        }
        String token = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            body.put("max_results", 1000);
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = call("POST", "/api/2.0/mlflow/experiments/search", body, false);
            page.path("experiments")
                    .forEach(e -> out.put(
                            e.path("experiment_id").asText(), e.path("name").asText()));
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty() && out.size() < MAX_RUNS);
        return out;
    }

    private List<Run> runs(List<String> experimentIds) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < experimentIds.size() && out.size() < MAX_RUNS; i += 50) {
            List<String> chunk = experimentIds.subList(i, Math.min(experimentIds.size(), i + 50));
            String token = null;
            do {
                ObjectNode body = JSON.createObjectNode();
                chunk.forEach(body.putArray("experiment_ids")::add);
                body.put("max_results", 1000);
                body.putArray("order_by").add("attributes.start_time DESC");
                if (token != null) {
                    body.put("page_token", token);
                }
                JsonNode page = call("POST", "/api/2.0/mlflow/runs/search", body, false);
                page.path("runs").forEach(r -> out.add(run(r)));
                token = page.path("next_page_token").asText(null);
            } while (token != null && !token.isEmpty() && out.size() < MAX_RUNS);
        }
        return out;
    }

    private static Run run(JsonNode r) {
        Map<String, String> tags = new LinkedHashMap<>();
        r.path("data")
                .path("tags")
                .forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        JsonNode info = r.path("info");
        return new Run(
                info.path("run_id").asText(),
                info.path("experiment_id").asText(),
                info.path("status").asText(),
                tags);
    }

    /**
     * The policy that applies, asked of the server for the newest run of each experiment (the server
     * evaluates it under the policy loaded now): the weakest mode among them.
     */
    private String policyMode(List<Run> runs) {
        Map<String, Run> newest = new LinkedHashMap<>();
        runs.forEach(r -> newest.putIfAbsent(r.experimentId(), r));
        if (newest.isEmpty()) {
            return "unknown";
        }
        boolean warn = false;
        int probes = 0;
        for (Run r : newest.values()) {
            if (probes++ >= MAX_POLICY_PROBES) {
                break;
            }
            JsonNode c = call(
                    "GET",
                    "/api/2.0/reprise/runs/compliance?run_id=" + URLEncoder.encode(r.id(), StandardCharsets.UTF_8),
                    null,
                    true);
            if (c == null) {
                continue; // deleted meanwhile
            }
            String mode = c.path("mode").asText("");
            if (c.path("verdict").asText().equals("unchecked")
                    || c.path("rule").asText("").isEmpty()) {
                return "none";
            }
            warn |= !mode.equals("enforce");
        }
        return warn ? "warn" : "enforce";
    }

    /** A call; null when {@code missingOk} and the server says RESOURCE_DOES_NOT_EXIST. */
    private JsonNode call(String method, String path, JsonNode body, boolean missingOk) {
        byte[] answer;
        try {
            answer = http.send(
                    method,
                    http.base() + path,
                    body == null ? null : body.toString().getBytes(UTF_8));
        } catch (MlflowHttp.Failure f) {
            if (f.unreachable()) {
                throw new AuditException(f.getMessage(), "check --tracking-uri and that the server is running", true);
            }
            if (missingOk && f.code().equals("RESOURCE_DOES_NOT_EXIST")) {
                return null;
            }
            throw new AuditException(
                    http.base() + " refused " + path.replaceFirst("\\?.*", "") + ": " + f.getMessage(),
                    "check that --tracking-uri is a Reprise server (MLflow servers have no compliance endpoint)");
        } catch (IllegalArgumentException e) {
            throw new AuditException(
                    "bad tracking URI " + http.base() + ": " + e.getMessage(), "pass --tracking-uri http://HOST:PORT");
        }
        try {
            return answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
