package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import io.reprise.capture.TrackingClient.RunRef;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code reprise run}: creates the MLflow run, starts the command, records what it depends on
 * while it runs, and ends the run with the command's outcome.
 *
 * <p>Only what the command could change (git state, files) is read before it starts, in parallel
 * with creating the run; the rest (interpreter, machine) is read while it runs.
 */
final class CapturedRun {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    static final String OUTPUT_LOG = "reprise/output.log";
    static final String PIP_FREEZE = "reprise/python/pip-freeze.txt";

    private final RunSpec spec;
    private final TrackingClient client;
    private final RunRef run;
    private final Snapshot snapshot;
    private final CompletableFuture<List<DataInput>> data;
    private final PrintStream err;
    private final OutputLog log;
    private final CommandProcess process;
    private final long startTime;
    private final CompletableFuture<Optional<PythonEnv>> python;
    private final CompletableFuture<SystemInfo> system;
    private final CompletableFuture<Void> during;
    private volatile boolean stopRequested;

    private CapturedRun(Prepared s, PrintStream out, PrintStream err) throws IOException {
        this.spec = s.spec;
        this.client = s.client;
        this.run = s.run;
        this.snapshot = s.snapshot;
        this.err = err;
        this.log = new OutputLog();
        err.println("reprise: recording run " + run.runId() + " in experiment " + run.experimentId() + " at "
                + spec.shownTrackingUri());
        this.startTime = System.currentTimeMillis();
        try {
            this.process = CommandProcess.start(spec.command(), spec.workDir(), childEnv(), log, out, err);
        } catch (IOException e) {
            log.close();
            throw e;
        }
        // Parsed while the command runs: YAML parsing is slow to warm up, the files were read already.
        this.data = CompletableFuture.supplyAsync(
                () -> DvcFiles.parse(snapshot.dvcFiles(), snapshot.warnings()), Threads.POOL);
        this.python = CompletableFuture.supplyAsync(this::probePython, Threads.POOL);
        this.system = CompletableFuture.supplyAsync(() -> SystemProbe.probe(spec.workDir(), spec.env()), Threads.POOL);
        this.during = CompletableFuture.runAsync(this::recordSnapshot, Threads.POOL);
        CompletableFuture.runAsync(this::warmManifest, Threads.POOL);
    }

    /** A created run whose inputs have been read, ready to launch its command. */
    record Prepared(RunSpec spec, TrackingClient client, RunRef run, Snapshot snapshot) {
        /** Ends the run KILLED without running the command: a stop came first. */
        void abandon() {
            endQuietly(client, run, "KILLED", Map.of("reprise.error", "stopped before the command started"));
        }
    }

    /**
     * Creates the run and reads what the command could change. Throws {@link CaptureException} when
     * the run cannot be recorded.
     */
    static Prepared prepare(RunSpec spec, Map<String, String> extraTags) {
        TrackingClient client = new TrackingClient(spec.trackingUri(), spec.env());
        Snapshot snapshot;
        try {
            // Taken before the run exists: create-run carries the code state, which a server policy
            // may require before it accepts the run.
            snapshot = Snapshot.take(spec);
        } catch (java.io.UncheckedIOException e) {
            throw new CaptureException(
                    Kind.USAGE, "cannot read the work tree: " + e.getCause().getMessage(), "", e.getCause());
        }
        return new Prepared(spec, client, createRun(spec, client, snapshot, extraTags), snapshot);
    }

    /** Starts the command; throws {@link CaptureException} (NOT_STARTED) when it cannot be started. */
    static CapturedRun launch(Prepared p, PrintStream out, PrintStream err) {
        try {
            return new CapturedRun(p, out, err);
        } catch (IOException e) {
            endQuietly(p.client, p.run, "FAILED", Map.of("reprise.error", "cannot start command: " + e.getMessage()));
            throw new CaptureException(
                    Kind.NOT_STARTED,
                    "cannot run '" + p.spec.command().get(0) + "': " + e.getMessage(),
                    "check the command name, PATH and permissions",
                    e);
        }
    }

    private static RunRef createRun(
            RunSpec spec, TrackingClient client, Snapshot snapshot, Map<String, String> extraTags) {
        try {
            String experimentId = spec.experiment() != null
                    ? client.experimentId(spec.experiment())
                    : spec.env().getOrDefault("MLFLOW_EXPERIMENT_ID", "0");
            String user = spec.env().getOrDefault("MLFLOW_TRACKING_USERNAME", System.getProperty("user.name"));
            Map<String, String> tags = new LinkedHashMap<>(Tags.atCreate(spec, user));
            tags.putAll(Tags.git(snapshot.git()));
            tags.putAll(extraTags);
            return client.createRun(experimentId, spec.runName(), System.currentTimeMillis(), tags);
        } catch (TrackingClient.ServerError e) {
            boolean down = "UNREACHABLE".equals(e.errorCode);
            throw new CaptureException(
                    Kind.UNAVAILABLE,
                    (down ? "cannot reach the tracking server at " : "the tracking server at ")
                            + spec.shownTrackingUri() + (down ? ": " : " refused the run: ") + e.getMessage()
                            + "; the command was not run",
                    down
                            ? "start it with 'reprise server' or point --tracking-uri / MLFLOW_TRACKING_URI at a running one"
                            : "check the experiment name and the server's log",
                    e);
        }
    }

    private Map<String, String> childEnv() {
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("MLFLOW_TRACKING_URI", spec.trackingUri().toString());
        env.put("MLFLOW_RUN_ID", run.runId());
        env.put("MLFLOW_EXPERIMENT_ID", run.experimentId());
        env.remove("MLFLOW_EXPERIMENT_NAME"); // the client insists name and id agree; the id is the truth now
        if (spec.seed() != null) {
            env.put("PYTHONHASHSEED", String.valueOf(spec.seed()));
            env.put("REPRISE_SEED", String.valueOf(spec.seed()));
        }
        // Output goes through a pipe; without this Python would hold it back until exit.
        env.putIfAbsent("PYTHONUNBUFFERED", "1");
        return env;
    }

    private Optional<PythonEnv> probePython() {
        // A project command is a shell line: its first word names the program (python, in most).
        List<String> argv = spec.project() == null
                ? spec.command()
                : List.of(spec.project().command().command().strip().split("\\s+"));
        return PythonProbe.interpreter(argv, spec.workDir(), spec.env())
                .map(p -> PythonProbe.probe(p, spec.workDir(), spec.env()));
    }

    private void recordSnapshot() {
        client.logParams(run.runId(), Tags.params(spec, snapshot));
        client.setTags(run.runId(), Tags.fromSnapshot(spec, snapshot, data.join(), recordedEnvironment()));
        client.logInputs(run.runId(), data.join());
        if (TrackingClient.proxied(run)) {
            List<CompletableFuture<Void>> uploads = snapshot.artifacts().entrySet().stream()
                    .map(e -> CompletableFuture.runAsync(
                            () -> client.upload(run, e.getKey(), e.getValue()), Threads.POOL))
                    .toList();
            uploads.forEach(CompletableFuture::join);
        }
    }

    /**
     * Renders a draft of the manifest and drops it, while the command runs: the reflective JSON code
     * the record needs when the command ends is then warm (~15 ms of what reprise adds after it).
     */
    private void warmManifest() {
        Manifest.Run draft = new Manifest.Run(
                run.runId(), run.experimentId(), spec.shownTrackingUri(), "RUNNING", 0, startTime, startTime, 0);
        try {
            Manifests.json(Manifests.build(this, draft, null, null, List.of(), List.of()));
        } catch (RuntimeException e) {
            // only a warm-up: the real manifest reports its own problems
        }
    }

    /**
     * Waits for the command, ends the run FINISHED, FAILED or KILLED, and returns the command's exit
     * code. Failures to record are reported on stderr and never change the exit code.
     */
    int finish() throws InterruptedException {
        int exit = process.waitFor();
        long end = System.currentTimeMillis();
        String status = stopRequested || killedBySignal(exit) ? "KILLED" : exit == 0 ? "FINISHED" : "FAILED";
        record(exit, status, end);
        return exit;
    }

    /**
     * 128 + SIGHUP, SIGINT, SIGKILL or SIGTERM: the command was stopped from outside (Ctrl-C reaches it
     * straight from the terminal, the OOM killer sends SIGKILL), as MLflow marks an interrupted run.
     */
    static boolean killedBySignal(int exit) {
        return exit == 129 || exit == 130 || exit == 137 || exit == 143;
    }

    /** Forwards a stop to the command (SIGTERM, then SIGKILL after a grace period); the run ends KILLED. */
    void terminate() throws InterruptedException {
        if (process.alive()) {
            stopRequested = true;
            process.terminate(STOP_GRACE);
        }
    }

    /** Ends the run with a reason when its command never ran. */
    private static void endQuietly(TrackingClient client, RunRef run, String status, Map<String, String> tags) {
        try {
            client.setTags(run.runId(), tags);
            client.endRun(run.runId(), status, System.currentTimeMillis());
        } catch (RuntimeException e) {
            // the server is already known to be flaky; the command failure is what the user sees
        }
    }

    private void record(int exit, String status, long end) {
        List<String> problems = new ArrayList<>();
        await(data, "reading DVC files", problems);
        await(during, "recording the run's inputs", problems);
        PythonEnv py =
                await(python, "inspecting Python", problems).flatMap(o -> o).orElse(null);
        SystemInfo sys = await(system, "inspecting the machine", problems).orElse(null);
        List<String> warnings = new ArrayList<>(snapshot.warnings()); // complete once data is parsed
        warnings.addAll(problems);
        if (spec.project() != null) {
            warnings.addAll(spec.project().command().warnings());
        }
        Map<String, byte[]> late = new LinkedHashMap<>();
        if (py != null) {
            late.put(PIP_FREEZE, (String.join("\n", py.packages()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> artifacts = new ArrayList<>(snapshot.artifacts().keySet());
        artifacts.addAll(List.of(OUTPUT_LOG, Manifest.PATH));
        artifacts.addAll(late.keySet());
        Manifest m = Manifests.build(
                this,
                new Manifest.Run(
                        run.runId(),
                        run.experimentId(),
                        spec.shownTrackingUri(),
                        status,
                        exit,
                        startTime,
                        end,
                        end - startTime),
                py,
                sys,
                artifacts,
                warnings);
        late.put(Manifest.PATH, Manifests.json(m));
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            calls.add(CompletableFuture.runAsync(() -> client.setTags(run.runId(), Tags.atEnd(m)), Threads.POOL));
            if (TrackingClient.proxied(run)) {
                late.put(OUTPUT_LOG, readLog());
                late.forEach((path, bytes) ->
                        calls.add(CompletableFuture.runAsync(() -> client.upload(run, path, bytes), Threads.POOL)));
            } else {
                err.println("reprise: artifacts not uploaded: the run's artifact root " + run.artifactUri()
                        + " is not served by the tracking server");
            }
            calls.forEach(CompletableFuture::join); // the run ends only once everything is in
            client.endRun(run.runId(), status, end);
            err.println("reprise: run " + run.runId() + " " + status + " (exit code " + exit + ")");
        } catch (RuntimeException e) { // server errors and anything unforeseen: never lose the exit code
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            err.println("reprise: could not finish recording run " + run.runId() + ": " + cause.getMessage());
        } finally {
            deleteLog();
        }
    }

    private static <T> Optional<T> await(CompletableFuture<T> f, String what, List<String> warnings) {
        try {
            return Optional.ofNullable(f.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            warnings.add(what + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            warnings.add(what + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warnings.add(what + " interrupted");
        }
        return Optional.empty();
    }

    private byte[] readLog() {
        try {
            return java.nio.file.Files.readAllBytes(log.finish());
        } catch (IOException e) {
            return ("[reprise: output log lost: " + e.getMessage() + "]\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private void deleteLog() {
        try {
            log.close();
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }

    RunSpec spec() {
        return spec;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<DataInput> data() {
        return data.getNow(List.of());
    }

    /** The allowlisted variables the command saw, including the seed Reprise exported. */
    Map<String, String> recordedEnvironment() {
        Map<String, String> env = new HashMap<>(spec.env());
        if (spec.seed() != null) {
            env.put("PYTHONHASHSEED", String.valueOf(spec.seed()));
            env.put("REPRISE_SEED", String.valueOf(spec.seed()));
        }
        return EnvAllowlist.select(env);
    }
}
