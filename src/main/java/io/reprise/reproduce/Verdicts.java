package io.reprise.reproduce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.client.MlflowHttp;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a verdict on the original run and on the reproduction, as the shared contract says
 * (docs/reproduce.md, "Tags written"): the latest verdict, who, when, where, a numbered history and
 * the full report as an artifact.
 */
final class Verdicts {
    static final String PREFIX = "reprise.reproduction.";
    static final String VERDICT = PREFIX + "verdict";
    static final String RUN_ID = PREFIX + "run_id";
    static final String COUNT = PREFIX + "count";
    static final String OF = "reprise.reproduction_of";
    private static final int MAX_TAG = 5000;

    private Verdicts() {}

    /**
     * Writes the verdict; returns its number in the run's history. Safe against concurrent
     * reproductions of the same run: history entry n is claimed with a create-only tag write (the
     * server rejects a taken n; the next one is tried), and the summary tags (verdict, run_id, at,
     * by, host, count) are then made to describe the highest entry, re-read until they do, so the
     * last writer to look leaves them right whatever the interleaving.
     */
    static int record(Server server, Outcome o, Map<String, String> env) {
        String runId = o.originalRunId();
        long at = System.currentTimeMillis();
        String by = env.getOrDefault("MLFLOW_TRACKING_USERNAME", System.getProperty("user.name"));
        String host = host(env);
        String entry = history(o, at, by, host);
        JsonNode run = fresh(server, runId);
        Map<String, String> tags = Server.tags(run);
        int n = Math.max(count(tags), highest(tags)) + 1;
        for (Server.Claim c; (c = server.createTag(runId, PREFIX + n, entry)) != Server.Claim.CREATED; n++) {
            if (c == Server.Claim.UNSUPPORTED) { // an MLflow server: read-then-write, racy (docs/reproduce.md)
                server.setTags(runId, Map.of(PREFIX + n, entry));
                break;
            }
        }
        try {
            server.upload(run, "reprise/reproductions/" + n + ".json", report(o, n, at, by, host));
        } catch (MlflowHttp.Failure f) {
            if (!"NOT_PROXIED".equals(f.code())) {
                throw f;
            } // artifacts stored where reprise cannot write: the tags still carry the verdict
        }
        settle(server, runId);
        if (o.reproductionRunId() != null) {
            server.setTags(
                    o.reproductionRunId(), Map.of(OF + ".verdict", o.verdict().name()));
        }
        return n;
    }

    /** Makes the summary tags describe the highest history entry; bounded, as writers are few. */
    private static void settle(Server server, String runId) {
        for (int round = 0; round < 20; round++) {
            Map<String, String> tags = Server.tags(fresh(server, runId));
            int top = highest(tags);
            JsonNode latest = Server.parse(tags.get(PREFIX + top));
            Map<String, String> want = new LinkedHashMap<>();
            want.put(VERDICT, latest.path("verdict").asText());
            String reproduction = latest.path("run_id").asText("");
            if (!reproduction.isEmpty()) {
                want.put(RUN_ID, reproduction);
            }
            want.put(PREFIX + "at", latest.path("at").asText());
            want.put(PREFIX + "by", latest.path("by").asText());
            want.put(PREFIX + "host", latest.path("host").asText());
            want.put(COUNT, String.valueOf(top));
            boolean staleRunId = reproduction.isEmpty() && tags.containsKey(RUN_ID);
            if (!staleRunId
                    && want.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())))) {
                return;
            }
            if (staleRunId) {
                server.deleteTag(runId, RUN_ID); // an earlier verdict's run is not this one's
            }
            server.setTags(runId, want);
        }
    }

    /** The highest n of the history entries {@code reprise.reproduction.<n>}; 0 when none. */
    static int highest(Map<String, String> tags) {
        int top = 0;
        for (String key : tags.keySet()) {
            if (key.startsWith(PREFIX)) {
                String rest = key.substring(PREFIX.length());
                if (!rest.isEmpty() && rest.length() < 9 && rest.chars().allMatch(Character::isDigit)) {
                    top = Math.max(top, Integer.parseInt(rest));
                }
            }
        }
        return top;
    }

    private static JsonNode fresh(Server server, String runId) {
        return server.run(runId).orElseThrow(() -> new Failed("run " + runId + " vanished from the server"));
    }

    static int count(Map<String, String> tags) {
        try {
            return Math.max(0, Integer.parseInt(tags.getOrDefault(COUNT, "0").strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The compact history entry, cut to fit a tag. */
    static String history(Outcome o, long at, String by, String host) {
        String reason = o.reason();
        List<String> diverging = o.diverging();
        while (true) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("verdict", o.verdict().name());
            if (o.reproductionRunId() != null) {
                h.put("run_id", o.reproductionRunId());
            }
            h.put("at", at);
            h.put("by", by);
            h.put("host", host);
            h.put("reason", reason);
            h.put("diverging", diverging);
            String s = json(h);
            if (s.length() <= MAX_TAG) {
                return s;
            }
            if (diverging.size() > 1) {
                diverging = diverging.subList(0, diverging.size() / 2);
            } else {
                reason = reason.substring(0, Math.min(reason.length(), 1000)) + "...";
                diverging = List.of();
            }
        }
    }

    private static byte[] report(Outcome o, int n, long at, String by, String host) {
        Map<String, Object> r = new LinkedHashMap<>(o.json());
        r.put("n", n);
        r.put("at", at);
        r.put("by", by);
        r.put("host", host);
        return (jsonPretty(r) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String host(Map<String, String> env) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env.getOrDefault("HOSTNAME", "unknown");
        }
    }

    static String json(Object o) {
        try {
            return Server.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String jsonPretty(Object o) {
        try {
            return Server.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
