package io.reprise.capture;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code reprise sync}: uploads every complete spool entry to the tracking server, then removes it.
 *
 * <p>Idempotent: each spooled run is created on the server with the tag {@code reprise.spool_run}
 * ({@code <entry>/<local run id>}), and its remote id is written to the entry's {@code sync.json}
 * before anything else is uploaded. A retried sync finds the run by either and re-sends the rest,
 * which the server takes as no-ops: identical params and metric points, tags overwritten, datasets
 * logged once, artifacts overwritten. The entry is removed only once everything was acknowledged.
 */
public final class SpoolSync {
    /** How a sync went: runs uploaded, entries that failed (kept), entries left for later. */
    public record Summary(int runs, int entries, int failed, int skipped) {}

    private static final int BATCH = 100;
    private static final int METRIC_BATCH = 1000;
    static final String SPOOL_TAG = "reprise.spool_run";

    private final Path root;
    private final URI remote;
    private final Map<String, String> env;
    private final SpoolServer.Factory servers;
    private final PrintStream err;

    public SpoolSync(Path workDir, URI remote, Map<String, String> env, SpoolServer.Factory servers, PrintStream err) {
        this.root = Spool.root(workDir);
        this.remote = remote;
        this.env = env;
        this.servers = servers;
        this.err = err;
    }

    /** The tracking URI from --tracking-uri or MLFLOW_TRACKING_URI; throws {@link CaptureException} (USAGE). */
    public static URI trackingUri(String option, Map<String, String> env) {
        String uri = option != null ? option : env.get("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new CaptureException(
                    CaptureException.Kind.USAGE,
                    "no tracking server given",
                    "pass --tracking-uri http://HOST:5000 or export MLFLOW_TRACKING_URI");
        }
        return RunSpec.httpUri(uri);
    }

    public Path root() {
        return root;
    }

    /**
     * Syncs every entry; an entry that fails is reported and kept, and the others still go. Throws
     * {@link CaptureException} (UNAVAILABLE) when the server cannot be reached at all.
     */
    public Summary run() {
        List<Path> entries = entries();
        if (entries.isEmpty()) {
            err.println("reprise sync: nothing to upload in " + root);
            return new Summary(0, 0, 0, 0);
        }
        TrackingClient dst = new TrackingClient(remote, env);
        try {
            dst.get("experiments/get?experiment_id=0");
        } catch (TrackingClient.ServerError e) {
            if ("UNREACHABLE".equals(e.errorCode)) {
                throw new CaptureException(
                        CaptureException.Kind.UNAVAILABLE,
                        "cannot reach the tracking server at " + shown() + ": " + e.getMessage() + "; " + entries.size()
                                + " spooled run(s) kept in " + root,
                        "start it, or point --tracking-uri / MLFLOW_TRACKING_URI at a running one",
                        e);
            }
        }
        int runs = 0;
        int done = 0;
        int failed = 0;
        int skipped = 0;
        for (int i = 0; i < entries.size(); i++) {
            Path entry = entries.get(i);
            String label = "[" + (i + 1) + "/" + entries.size() + "] " + entry.getFileName();
            try {
                Map<String, Object> state = Spool.readJson(entry.resolve(Spool.STATE));
                if (!Spool.COMPLETE.equals(state.get("state"))) {
                    if (alive(state.get("pid"))) {
                        err.println("reprise sync: " + label + ": still recording, left for later");
                        skipped++;
                        continue;
                    }
                    throw new IllegalStateException("it was never completed (reprise was killed while recording)");
                }
                int n = syncEntry(entry, dst, label);
                Spool.remove(entry);
                runs += n;
                done++;
            } catch (RuntimeException e) {
                failed++;
                err.println("reprise sync: " + label + ": FAILED, kept for a later sync: " + reason(e));
            }
        }
        err.println("reprise sync: " + runs + " run(s) from " + done + " spool entr" + (done == 1 ? "y" : "ies")
                + " uploaded to " + shown() + (failed > 0 ? "; " + failed + " failed (kept in " + root + ")" : "")
                + (skipped > 0 ? "; " + skipped + " still recording" : ""));
        return new Summary(runs, done, failed, skipped);
    }

    private List<Path> entries() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && !n.startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private int syncEntry(Path entry, TrackingClient dst, String label) {
        if (!Files.isRegularFile(entry.resolve("store.db"))) {
            throw new IllegalStateException("it has no store.db");
        }
        Map<String, Object> sync = readSync(entry);
        @SuppressWarnings("unchecked")
        Map<String, Object> mapping = (Map<String, Object>) sync.get("runs");
        try (SpoolServer local = servers.start(entry)) {
            TrackingClient src = new TrackingClient(local.uri(), Map.of());
            Map<String, String> experiments = experimentNames(src);
            List<Map<String, Object>> runs = runs(src, experiments.keySet());
            String spoolId = entry.getFileName().toString();
            for (Map<String, Object> run : runs) { // create them all first: children name their parents
                String localId = JsonText.text(run, "info", "run_id");
                if (!mapping.containsKey(localId)) {
                    mapping.put(localId, create(dst, run, experiments, spoolId + "/" + localId));
                    Spool.writeJson(entry.resolve(Spool.SYNC), sync); // before anything else is sent
                }
            }
            for (Map<String, Object> run : runs) {
                upload(src, dst, run, mapping, entry, spoolId, label);
            }
            return runs.size();
        }
    }

    private Map<String, Object> readSync(Path entry) {
        Path f = entry.resolve(Spool.SYNC);
        Map<String, Object> sync = Files.exists(f) ? new LinkedHashMap<>(Spool.readJson(f)) : new LinkedHashMap<>();
        if (!shown().equals(sync.get("tracking_uri")) || !(sync.get("runs") instanceof Map)) {
            sync.put("tracking_uri", shown()); // ids on another server mean nothing here
            sync.put("runs", new LinkedHashMap<String, Object>());
        } else {
            sync.put("runs", new LinkedHashMap<>((Map<?, ?>) sync.get("runs")));
        }
        return sync;
    }

    private static Map<String, String> experimentNames(TrackingClient src) {
        Map<String, String> out = new LinkedHashMap<>();
        Object r = src.post("experiments/search", Map.of("max_results", 1000, "view_type", "ALL"));
        for (Object e : JsonText.list(r, "experiments")) {
            out.put(JsonText.text(e, "experiment_id"), JsonText.text(e, "name"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(TrackingClient src, java.util.Collection<String> experimentIds) {
        List<Map<String, Object>> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("experiment_ids", List.copyOf(experimentIds));
            body.put("run_view_type", "ALL");
            body.put("max_results", 1000);
            if (token != null) {
                body.put("page_token", token);
            }
            Object r = src.post("runs/search", body);
            JsonText.list(r, "runs").forEach(x -> out.add((Map<String, Object>) x));
            token = JsonText.text(r, "next_page_token");
        } while (!token.isEmpty());
        out.sort(Comparator.comparingLong(r -> Long.parseLong(numberOr(JsonText.text(r, "info", "start_time"), "0"))));
        return out;
    }

    /** The remote run for a spooled one: found by its spool tag (a sync cut short), else created. */
    private String create(TrackingClient dst, Map<String, Object> run, Map<String, String> experiments, String marker) {
        String experimentId =
                dst.experimentId(experiments.getOrDefault(JsonText.text(run, "info", "experiment_id"), "Default"));
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("experiment_ids", List.of(experimentId));
        search.put("filter", "tags.`" + SPOOL_TAG + "` = '" + marker.replace("'", "") + "'");
        search.put("run_view_type", "ALL");
        search.put("max_results", 1);
        List<?> found = JsonText.list(dst.post("runs/search", search), "runs");
        if (!found.isEmpty()) {
            return JsonText.text(found.get(0), "info", "run_id");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SPOOL_TAG, marker);
        String user = tags(run).get("mlflow.user");
        if (user != null) {
            tags.put("mlflow.user", user);
        }
        String name = JsonText.text(run, "info", "run_name");
        long start = Long.parseLong(numberOr(JsonText.text(run, "info", "start_time"), "0"));
        return dst.createRun(experimentId, name.isEmpty() ? null : name, start, tags)
                .runId();
    }

    private void upload(
            TrackingClient src,
            TrackingClient dst,
            Map<String, Object> run,
            Map<String, Object> mapping,
            Path entry,
            String spoolId,
            String label) {
        String localId = JsonText.text(run, "info", "run_id");
        String remoteId = String.valueOf(mapping.get(localId));
        Map<String, String> params = keyValues(JsonText.list(run, "data", "params"));
        Map<String, String> tags = tags(run);
        tags.computeIfPresent("mlflow.parentRunId", (k, v) -> String.valueOf(mapping.getOrDefault(v, v)));
        tags.put(SPOOL_TAG, spoolId + "/" + localId);
        tags.put("reprise.offline", "true");
        chunks(new ArrayList<>(params.entrySet()), BATCH)
                .forEach(c -> dst.post("runs/log-batch", Map.of("run_id", remoteId, "params", kv(c))));
        chunks(new ArrayList<>(tags.entrySet()), BATCH)
                .forEach(c -> dst.post("runs/log-batch", Map.of("run_id", remoteId, "tags", kv(c))));
        List<Object> points = new ArrayList<>();
        for (Object m : JsonText.list(run, "data", "metrics")) {
            points.addAll(history(src, localId, JsonText.text(m, "key")));
        }
        chunks(points, METRIC_BATCH).forEach(c -> dst.post("runs/log-batch", Map.of("run_id", remoteId, "metrics", c)));
        List<?> inputs = JsonText.list(run, "inputs", "dataset_inputs");
        if (!inputs.isEmpty()) {
            dst.post("runs/log-inputs", Map.of("run_id", remoteId, "datasets", inputs));
        }
        Object remoteRun = dst.get("runs/get?run_id=" + remoteId);
        TrackingClient.RunRef ref = new TrackingClient.RunRef(
                remoteId,
                JsonText.text(remoteRun, "run", "info", "experiment_id"),
                JsonText.text(remoteRun, "run", "info", "artifact_uri"));
        int artifacts = uploadArtifacts(dst, ref, entry, JsonText.text(run, "info", "artifact_uri"), spoolId, localId);
        String status = JsonText.text(run, "info", "status");
        if (!status.equals("RUNNING") && !status.isEmpty()) {
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("run_id", remoteId);
            update.put("status", status);
            String end = JsonText.text(run, "info", "end_time");
            if (!end.isEmpty()) {
                update.put("end_time", Long.parseLong(end));
            }
            dst.post("runs/update", update);
        }
        err.println("reprise sync: " + label + ": run " + localId + " -> " + remoteId + " " + status + " ("
                + params.size() + " params, " + tags.size() + " tags, " + points.size() + " metric points, "
                + artifacts + " artifacts)");
    }

    private int uploadArtifacts(
            TrackingClient dst,
            TrackingClient.RunRef ref,
            Path entry,
            String localUri,
            String spoolId,
            String localId) {
        Path base = entry.resolve("artifacts").toAbsolutePath().normalize();
        String rel = localUri.replaceFirst("^mlflow-artifacts:/*", "");
        Path dir = base.resolve(rel).normalize();
        if (!dir.startsWith(base) || !Files.isDirectory(dir)) {
            return 0; // nothing was logged
        }
        if (!TrackingClient.proxied(ref)) {
            throw new IllegalStateException("the server's artifact root " + ref.artifactUri()
                    + " is not served through it; artifacts cannot be uploaded");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : files) {
            String path = dir.relativize(f).toString().replace('\\', '/');
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (path.equals(Manifest.PATH)) {
                bytes = manifest(bytes, ref, spoolId, localId);
            }
            dst.upload(ref, path, bytes);
        }
        return files.size();
    }

    /** The manifest names the run it now belongs to, and where it was recorded first. */
    @SuppressWarnings("unchecked")
    private byte[] manifest(byte[] bytes, TrackingClient.RunRef ref, String spoolId, String localId) {
        Object m = JsonText.read(new String(bytes, StandardCharsets.UTF_8));
        if (m instanceof Map<?, ?> map && map.get("run") instanceof Map<?, ?> run) {
            Map<String, Object> r = (Map<String, Object>) run;
            r.put("run_id", ref.runId());
            r.put("experiment_id", ref.experimentId());
            r.put("tracking_uri", shown());
            Map<String, Object> offline = new LinkedHashMap<>();
            offline.put("spool_id", spoolId);
            offline.put("local_run_id", localId);
            offline.put("synced_at", System.currentTimeMillis());
            ((Map<String, Object>) map).put("offline", offline);
            return (JsonText.write(map, true) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static List<Object> history(TrackingClient src, String runId, String key) {
        List<Object> out = new ArrayList<>();
        String token = "";
        do {
            String q = "metrics/get-history?run_id=" + runId + "&metric_key="
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&max_results=25000"
                    + (token.isEmpty() ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            Object r = src.get(q);
            out.addAll(JsonText.list(r, "metrics"));
            token = JsonText.text(r, "next_page_token");
        } while (!token.isEmpty());
        return out;
    }

    private static Map<String, String> tags(Map<String, Object> run) {
        return keyValues(JsonText.list(run, "data", "tags"));
    }

    private static Map<String, String> keyValues(List<?> list) {
        Map<String, String> out = new LinkedHashMap<>();
        list.forEach(e -> out.put(JsonText.text(e, "key"), JsonText.text(e, "value")));
        return out;
    }

    private static List<Map<String, String>> kv(List<Map.Entry<String, String>> entries) {
        return entries.stream()
                .map(e -> Map.of("key", e.getKey(), "value", e.getValue()))
                .toList();
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    private static boolean alive(Object pid) {
        return pid instanceof Number n
                && ProcessHandle.of(n.longValue()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String numberOr(String s, String dflt) {
        return s.isEmpty() ? dflt : s;
    }

    private String shown() {
        return GitProbe.withoutCredentials(remote.toString());
    }

    private static String reason(RuntimeException e) {
        Throwable c = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
