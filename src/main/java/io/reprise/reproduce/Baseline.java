package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.client.MlflowHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run a newcomer reproduces to prove their setup: {@code .reprise/baseline.json} in the repository
 * (meant to be committed) and the experiment tag {@code reprise.baseline}.
 */
public record Baseline(String runId, String experimentId, String trackingUri) {
    public static final String FILE = ".reprise/baseline.json";
    public static final String TAG = "reprise.baseline";

    /** The file in the repository containing {@code dir}, if any. */
    public static Optional<Baseline> read(Path dir) {
        Path root = root(dir);
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = Server.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String run = n.path("run_id").asText("");
            if (run.isEmpty()) {
                throw new IllegalArgumentException(file + " has no run_id");
            }
            return Optional.of(new Baseline(
                    run,
                    n.path("experiment_id").asText(""),
                    n.path("tracking_uri").asText("")));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * Makes {@code runId} the baseline: checks it exists, writes the file atomically and tags the
     * experiment. Returns the file written.
     */
    public static Path set(Path dir, URI trackingUri, Map<String, String> env, String runId) {
        try {
            return setOn(dir, new Server(trackingUri, env), trackingUri, runId);
        } catch (MlflowHttp.Failure f) {
            throw new Reproducer.Unavailable(f.getMessage(), f.unreachable());
        }
    }

    private static Path setOn(Path dir, Server server, URI trackingUri, String runId) {
        JsonNode run = server.run(runId)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no run " + runId + " on the tracking server at " + server.base()));
        String experimentId = run.path("info").path("experiment_id").asText();
        Map<String, String> json = new LinkedHashMap<>();
        json.put("run_id", runId);
        json.put("experiment_id", experimentId);
        json.put("tracking_uri", safe(trackingUri));
        Path file = root(dir).resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".baseline", ".tmp");
            Files.writeString(temp, Verdicts.jsonPretty(json) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage());
        }
        server.setExperimentTag(experimentId, TAG, runId);
        return file;
    }

    /** The baseline run named by an experiment's tag. */
    public static Optional<String> ofExperiment(URI trackingUri, Map<String, String> env, String experimentName) {
        try {
            return tagOf(new Server(trackingUri, env), experimentName);
        } catch (MlflowHttp.Failure f) {
            throw new Reproducer.Unavailable(f.getMessage(), f.unreachable());
        }
    }

    private static Optional<String> tagOf(Server server, String experimentName) {
        JsonNode e = server.experimentByName(experimentName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no experiment named '" + experimentName + "' on the tracking server at " + server.base()));
        return Optional.ofNullable(Server.keyValues(e.path("tags")).get(TAG));
    }

    /** What to show of the baseline: its run, status, metrics and latest reproduction verdict. */
    public static java.util.List<String> describe(URI trackingUri, Map<String, String> env, String runId) {
        try {
            return describeOn(new Server(trackingUri, env), runId);
        } catch (MlflowHttp.Failure f) {
            throw new Reproducer.Unavailable(f.getMessage(), f.unreachable());
        }
    }

    private static java.util.List<String> describeOn(Server server, String runId) {
        JsonNode run = server.run(runId)
                .orElseThrow(() -> new IllegalArgumentException(
                        "the baseline run " + runId + " is not on the tracking server at " + server.base()));
        Map<String, String> tags = Server.tags(run);
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("baseline: run " + runId + " ("
                + run.path("info").path("run_name").asText("") + ") in experiment "
                + run.path("info").path("experiment_id").asText() + ", "
                + run.path("info").path("status").asText());
        Server.metrics(run).forEach((k, v) -> out.add("  " + k + " = " + Comparison.number(v)));
        out.add("last reproduction: " + tags.getOrDefault(Verdicts.VERDICT, "never reproduced")
                + (tags.containsKey(Verdicts.PREFIX + "by") ? " by " + tags.get(Verdicts.PREFIX + "by") : ""));
        return out;
    }

    /** The tracking URI without user info, safe to commit. */
    private static String safe(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (java.net.URISyntaxException e) {
            return uri.toString();
        }
    }

    private static Path root(Path dir) {
        Path repo = Workspace.localRepository(dir);
        return repo != null ? repo : dir.toAbsolutePath();
    }
}
