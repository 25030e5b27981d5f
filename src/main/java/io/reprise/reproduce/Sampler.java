package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.client.MlflowHttp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The runs an audit reproduces: a seeded random sample of FINISHED runs that have a manifest and are
 * not themselves reproductions, optionally of one experiment and started within a period.
 */
public final class Sampler {
    /** How many candidates there were and the runs drawn, in the order they are reproduced. */
    public record Sample(int candidates, List<String> runIds) {}

    private static final int MAX_CANDIDATES = 50_000;

    private Sampler() {}

    public static Sample draw(
            URI trackingUri, Map<String, String> env, int n, String experiment, Duration since, long seed) {
        Server server = new Server(trackingUri, env);
        try {
            List<String> experiments;
            if (experiment != null) {
                JsonNode e = server.experimentByName(experiment)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "no experiment named '" + experiment + "' on the tracking server at " + server.base()));
                experiments = List.of(e.path("experiment_id").asText());
            } else {
                experiments = server.experimentIds();
            }
            StringBuilder filter = new StringBuilder("attributes.status = 'FINISHED'"
                    + " and tags.\"reprise.manifest\" = '" + RunRecord.PATH + "'"
                    + " and tags.\"" + Verdicts.OF + "\" IS NULL");
            if (since != null) {
                filter.append(" and attributes.start_time >= ").append(System.currentTimeMillis() - since.toMillis());
            }
            List<String> ids = new ArrayList<>();
            // search takes at most 100 experiments at a time, as MLflow's does
            for (int i = 0; i < experiments.size(); i += 100) {
                List<String> chunk = experiments.subList(i, Math.min(experiments.size(), i + 100));
                server.searchRuns(chunk, filter.toString(), MAX_CANDIDATES)
                        .forEach(r -> ids.add(r.path("info").path("run_id").asText()));
            }
            ids.sort(Comparator.naturalOrder()); // the sample depends on the seed only, not on search order
            java.util.Collections.shuffle(ids, new Random(seed));
            return new Sample(ids.size(), List.copyOf(ids.subList(0, Math.min(n, ids.size()))));
        } catch (MlflowHttp.Failure f) {
            throw new Reproducer.Unavailable(f.getMessage(), f.unreachable());
        }
    }

    /** {@code 90d}, {@code 12h}, {@code 2w}, {@code 30m}; IllegalArgumentException otherwise. */
    public static Duration parseSince(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.length() < 2) {
            throw new IllegalArgumentException("--since '" + s + "' must be a number and a unit: 90d, 12h, 2w, 30m");
        }
        long v;
        try {
            v = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--since '" + s + "' must be a number and a unit: 90d, 12h, 2w, 30m");
        }
        if (v <= 0) {
            throw new IllegalArgumentException("--since '" + s + "' must be positive");
        }
        return switch (t.charAt(t.length() - 1)) {
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            case 'd' -> Duration.ofDays(v);
            case 'w' -> Duration.ofDays(7 * v);
            default -> throw new IllegalArgumentException("--since '" + s + "' must end in m, h, d or w (e.g. 90d)");
        };
    }
}
