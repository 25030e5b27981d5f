package io.reprise.reproduce;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** Writes the verdict; returns its number in the run's history. */
    static int record(Server server, Outcome o, Map<String, String> env) {
        // Read fresh: another reproduction may have recorded since this one started.
        com.fasterxml.jackson.databind.JsonNode run = server.run(o.originalRunId())
                .orElseThrow(() -> new Failed("run " + o.originalRunId() + " vanished from the server"));
        int n = count(Server.tags(run)) + 1;
        long at = System.currentTimeMillis();
        String by = env.getOrDefault("MLFLOW_TRACKING_USERNAME", System.getProperty("user.name"));
        String host = host(env);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(VERDICT, o.verdict().name());
        if (o.reproductionRunId() != null) {
            tags.put(RUN_ID, o.reproductionRunId());
        }
        tags.put(PREFIX + "at", String.valueOf(at));
        tags.put(PREFIX + "by", by);
        tags.put(PREFIX + "host", host);
        tags.put(COUNT, String.valueOf(n));
        tags.put(PREFIX + n, history(o, at, by, host));
        try {
            server.upload(run, "reprise/reproductions/" + n + ".json", report(o, n, at, by, host));
        } catch (Server.Failure f) {
            if (!"NOT_PROXIED".equals(f.code)) {
                throw f;
            } // artifacts stored where reprise cannot write: the tags still carry the verdict
        }
        if (o.reproductionRunId() == null) {
            server.deleteTag(o.originalRunId(), RUN_ID); // an earlier verdict's run is not this one's
        }
        server.setTags(o.originalRunId(), tags);
        if (o.reproductionRunId() != null) {
            server.setTags(
                    o.reproductionRunId(), Map.of(OF + ".verdict", o.verdict().name()));
        }
        return n;
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
