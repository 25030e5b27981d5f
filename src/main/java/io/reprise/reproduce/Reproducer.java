package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.capture.CaptureException;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import io.reprise.client.MlflowHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reprise reproduce}: reruns a recorded run from its manifest in a fresh checkout, compares
 * what it produced with the original and records the verdict on the original run.
 */
public final class Reproducer {
    /**
     * How to reproduce: tolerances per metric, the fallback, where the local repository is, whether a
     * plain command's environment is rebuilt from its pinned requirements when the current one differs.
     */
    public record Options(
            Map<String, Tolerance> tolerances, Tolerance fallback, boolean keep, Path repo, boolean envRebuild) {
        public Options {
            tolerances = Map.copyOf(tolerances);
        }
    }

    /** The run does not exist, or the server cannot be reached: no verdict can be recorded. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean unreachable;

        Unavailable(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        /** True when the server could not be reached (exit 3), false for an unknown run (exit 2). */
        public boolean unreachable() {
            return unreachable;
        }
    }

    /** Ctrl-C or SIGTERM stopped the reproduction: nothing was recorded on the original. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped: no verdict recorded");
        }
    }

    private final Server server;
    private final URI trackingUri;
    private final Map<String, String> env;
    private final PrintStream err;
    private final Object lock = new Object();
    private boolean stopped; // guarded by lock
    private RunSession session; // guarded by lock
    private EnvRebuild building; // guarded by lock

    public Reproducer(URI trackingUri, Map<String, String> env, PrintStream err) {
        this.server = new Server(trackingUri, env);
        this.trackingUri = trackingUri;
        this.env = Map.copyOf(env);
        this.err = err;
    }

    /** Reproduces one run and records its verdict. */
    public Outcome reproduce(String runId, Options options) throws InterruptedException {
        JsonNode original = fetch(runId);
        String experimentId = original.path("info").path("experiment_id").asText();
        Attempt a = new Attempt(runId, experimentId);
        Outcome outcome;
        try {
            outcome = attempt(original, options, a);
        } catch (Failed f) {
            outcome = a.failed(f.getMessage(), f.hint);
        } catch (MlflowHttp.Failure f) {
            if (f.unreachable()) {
                throw new Unavailable(f.getMessage(), true);
            }
            outcome = a.failed("the tracking server refused a request: " + f.getMessage(), "");
        }
        checkStopped();
        try {
            Verdicts.record(server, outcome, env);
        } catch (MlflowHttp.Failure f) {
            throw new Unavailable(
                    "the verdict " + outcome.verdict() + " could not be recorded on run " + runId + ": "
                            + f.getMessage(),
                    f.unreachable());
        }
        phase("record", outcome.verdict() + " recorded on run " + runId);
        return outcome;
    }

    /** Stops a reproduction under way from another thread: the command is killed, nothing is recorded. */
    public void stop() throws InterruptedException {
        RunSession s;
        EnvRebuild b;
        synchronized (lock) {
            stopped = true;
            s = session;
            b = building;
        }
        if (b != null) {
            b.stop();
        }
        if (s != null) {
            s.stop();
        }
    }

    JsonNode fetch(String runId) {
        try {
            return server.run(runId)
                    .orElseThrow(() ->
                            new Unavailable("no run " + runId + " on the tracking server at " + server.base(), false));
        } catch (MlflowHttp.Failure f) {
            throw new Unavailable(f.getMessage(), f.unreachable());
        }
    }

    /** What is known so far of one reproduction, to build its outcome at any point. */
    private static final class Attempt {
        final String runId;
        final String experimentId;
        final List<String> notes = new ArrayList<>();
        String reproductionRunId;
        String kept;
        List<DataRestore.Mismatch> data = List.of();
        RunRecord record;
        RunRecord reproduction;

        Attempt(String runId, String experimentId) {
            this.runId = runId;
            this.experimentId = experimentId;
        }

        Outcome failed(String reason, String hint) {
            List<String> causes = record == null ? List.of() : Causes.rank(record, reproduction, data);
            return new Outcome(
                    runId,
                    experimentId,
                    reproductionRunId,
                    Verdict.FAILED,
                    reason,
                    hint,
                    null,
                    causes,
                    data,
                    notes,
                    kept);
        }
    }

    private Outcome attempt(JsonNode original, Options options, Attempt a) throws InterruptedException {
        String runId = a.runId;
        phase("fetch", "run " + runId + " from " + server.base());
        byte[] manifest = server.download(original, RunRecord.PATH)
                .orElseThrow(
                        () -> new Failed(
                                "run " + runId + " was not captured by reprise: it has no " + RunRecord.PATH,
                                "record runs with 'reprise run -- CMD' (or 'reprise run' for an MLproject) to make them reproducible"));
        try {
            a.record = RunRecord.parse(manifest);
        } catch (IllegalArgumentException e) {
            throw new Failed("run " + runId + "'s " + RunRecord.PATH + " cannot be read: " + e.getMessage());
        }
        RunRecord r = a.record;
        String status = original.path("info").path("status").asText();
        if (!status.equals("FINISHED")) {
            a.notes.add("the original run is " + status + ", not FINISHED");
        }
        Path local =
                Workspace.localRepository(options.repo() == null ? Path.of("").toAbsolutePath() : options.repo());
        if (options.repo() != null && local == null) {
            throw new Failed("--repo " + options.repo() + " is not a git repository", "pass the root of a clone");
        }
        try (Workspace ws = Workspace.checkout(local, r.commit(), r.remoteUrl(), "reproduce")) {
            if (options.keep()) {
                ws.keep();
                a.kept = ws.root().toString();
            }
            checkStopped();
            phase("checkout", "commit " + r.commit() + " from " + ws.origin() + " into " + ws.root());
            restoreTree(original, r, ws, a);
            checkStopped();
            restoreData(r, ws, local, a);
            checkStopped();
            phase("environment", environmentSummary(r));
            Tail tail = new Tail(err, 20);
            int exit = rerun(original, r, ws, a, tail, options.envRebuild());
            if (a.reproductionRunId == null) {
                throw new Failed("the reproduction run was not created");
            }
            JsonNode repro = server.run(a.reproductionRunId)
                    .orElseThrow(() -> new Failed("the reproduction run " + a.reproductionRunId + " vanished"));
            a.reproduction =
                    server.download(repro, RunRecord.PATH).map(RunRecord::parse).orElse(null);
            environmentDifferences(r, a.reproduction).forEach(d -> phase("environment", d));
            if (exit != 0) {
                List<String> last = tail.last();
                a.notes.add("last lines of the command's output:");
                last.forEach(l -> a.notes.add("  " + l));
                throw new Failed(
                        "the command failed with exit code " + exit
                                + (last.isEmpty()
                                        ? ""
                                        : ": " + last.get(last.size() - 1).strip()),
                        "its output is the reproduction run's artifact reprise/output.log");
            }
            phase("compare", "metrics and output artifacts of " + runId + " and " + a.reproductionRunId);
            Comparison c = Comparison.of(
                    Server.metrics(original),
                    Server.metrics(repro),
                    outputs(original),
                    outputs(repro),
                    options.tolerances(),
                    options.fallback());
            return judge(a, c);
        }
    }

    private Outcome judge(Attempt a, Comparison c) {
        List<String> causes = Causes.rank(a.record, a.reproduction, a.data);
        if (c.same() && a.data.isEmpty()) {
            String what = c.metrics().size() + " metric" + (c.metrics().size() == 1 ? "" : "s") + " and "
                    + c.artifacts().size() + " output artifact" + (c.artifacts().size() == 1 ? "" : "s") + " match";
            return new Outcome(
                    a.runId,
                    a.experimentId,
                    a.reproductionRunId,
                    Verdict.REPRODUCED,
                    what,
                    "",
                    c,
                    List.of(),
                    a.data,
                    a.notes,
                    a.kept);
        }
        if (causes.isEmpty()) {
            causes = List.of("the two records show no difference in data, packages, interpreter, machine or"
                    + " settings: the code itself is likely nondeterministic (unseeded randomness, time, thread"
                    + " scheduling, set order); 'reprise verify -- CMD' runs it twice to show it");
        }
        List<String> parts = new ArrayList<>();
        if (!c.divergingMetrics().isEmpty()) {
            parts.add("metrics differ: " + String.join(", ", c.divergingMetrics()));
        }
        if (!c.divergingArtifacts().isEmpty()) {
            parts.add("outputs differ: " + String.join(", ", c.divergingArtifacts()));
        }
        if (!a.data.isEmpty()) {
            parts.add("data differs from the record: "
                    + String.join(
                            ", ",
                            a.data.stream().map(DataRestore.Mismatch::path).toList()));
        }
        return new Outcome(
                a.runId,
                a.experimentId,
                a.reproductionRunId,
                Verdict.DIVERGED,
                String.join("; ", parts),
                "",
                c,
                causes,
                a.data,
                a.notes,
                a.kept);
    }

    private void restoreTree(JsonNode original, RunRecord r, Workspace ws, Attempt a) {
        if (r.dirty()) {
            String artifact =
                    r.git().path("diff_artifact").asText(RunRecord.PATH.replace("manifest.json", "git/diff.patch"));
            byte[] patch = server.download(original, artifact)
                    .orElseThrow(() ->
                            new Failed("the original ran on a dirty tree but its diff (" + artifact + ") is missing"));
            String recorded = r.git().path("diff_sha256").asText("");
            if (!recorded.isEmpty() && !recorded.equals(sha256(patch))) {
                a.notes.add("the saved diff is not the whole diff (it was cut at capture); applying what was saved");
            }
            ws.applyDiff(patch);
            String files = joinedText(r.git().path("changed_files"));
            phase("checkout", "re-applied the recorded uncommitted diff" + (files.isEmpty() ? "" : " (" + files + ")"));
            a.notes.add("re-applied the recorded uncommitted diff" + (files.isEmpty() ? "" : " (" + files + ")"));
        }
        List<String> restored = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (JsonNode u : r.git().path("untracked")) {
            String path = u.path("path").asText();
            if (!u.path("saved").asBoolean(false)) {
                lost.add(path);
                continue;
            }
            byte[] bytes =
                    server.download(original, "reprise/untracked/" + path).orElse(null);
            if (bytes == null) {
                lost.add(path);
                continue;
            }
            try {
                ws.write(path, bytes);
                restored.add(path);
            } catch (IOException e) {
                throw new Failed("cannot restore untracked file " + path + ": " + e.getMessage());
            }
        }
        if (!restored.isEmpty()) {
            phase("checkout", "restored " + restored.size() + " untracked file(s): " + String.join(", ", restored));
            a.notes.add("restored untracked files: " + String.join(", ", restored));
        }
        if (!lost.isEmpty()) {
            phase("checkout", "untracked files not saved at capture, missing: " + String.join(", ", lost));
            a.notes.add("untracked files missing (not saved at capture): " + String.join(", ", lost));
        }
        restoreConfigs(original, r, ws, a);
    }

    /** Config files the command read: checked against their recorded sha256, restored from the artifact when not. */
    private void restoreConfigs(JsonNode original, RunRecord r, Workspace ws, Attempt a) {
        for (RunRecord.FileDigest c : r.configs()) {
            if (Path.of(c.path()).isAbsolute() || c.artifact() == null) {
                continue;
            }
            try {
                Path p = ws.safe(c.path());
                if (Files.isRegularFile(p) && sha256(Files.readAllBytes(p)).equals(c.sha256())) {
                    continue;
                }
                Optional<byte[]> saved = server.download(original, c.artifact());
                if (saved.isPresent()) {
                    Files.write(p, saved.get());
                    a.notes.add("config " + c.path() + " restored from the run's artifact " + c.artifact());
                    phase("checkout", "config " + c.path() + " restored from the run's artifact");
                }
            } catch (IOException e) {
                throw new Failed("cannot restore config " + c.path() + ": " + e.getMessage());
            }
        }
    }

    private void restoreData(RunRecord r, Workspace ws, Path local, Attempt a) {
        List<RunRecord.Data> inputs = r.data();
        if (inputs.isEmpty()) {
            return;
        }
        phase(
                "data",
                inputs.size() + " DVC output(s): "
                        + String.join(
                                ", ", inputs.stream().map(RunRecord.Data::path).toList()));
        DataRestore.Result res = DataRestore.restore(ws.root(), local, inputs);
        a.data = res.mismatches();
        if (!res.cache().isEmpty()) {
            phase("data", "sharing the cache " + res.cache());
        }
        for (DataRestore.Mismatch m : res.mismatches()) {
            phase("data", "WARNING " + m.describe() + ": not cached; the reproduction uses the remote's bytes");
        }
        if (!res.restored().isEmpty()) {
            phase("data", "restored " + String.join(", ", res.restored()) + " at their recorded md5");
        }
    }

    private int rerun(JsonNode original, RunRecord r, Workspace ws, Attempt a, Tail tail, boolean envRebuild)
            throws InterruptedException {
        Map<String, String> childEnv = Rerun.environment(r, env, a.experimentId);
        EnvRebuild.Result plan = environment(r, ws, childEnv, envRebuild, a);
        String name = original.path("info").path("run_name").asText("");
        RunSpec spec =
                Rerun.spec(r, plan.argv(), ws.root(), plan.env(), trackingUri, name.isEmpty() ? null : name + "-repro");
        RunSession s = Rerun.session(spec, a.runId, tail.printStream());
        synchronized (lock) {
            if (stopped) {
                throw new Stopped();
            }
            session = s;
        }
        phase("run", r.line() + (r.seed() == null ? "" : " (seed " + r.seed() + ")"));
        try {
            int exit = Rerun.run(s);
            a.reproductionRunId = s.runId().orElse(null);
            checkStopped();
            return exit;
        } catch (CaptureException e) {
            a.reproductionRunId = s.runId().orElse(null);
            checkStopped();
            if (e.kind() == CaptureException.Kind.UNAVAILABLE) {
                throw new Unavailable(e.getMessage(), true);
            }
            throw new Failed("the command could not be run: " + e.getMessage(), e.hint());
        } finally {
            synchronized (lock) {
                session = null;
            }
        }
    }

    /** A plain command's environment checked against the record, rebuilt when it differs (stoppable). */
    private EnvRebuild.Result environment(
            RunRecord r, Workspace ws, Map<String, String> childEnv, boolean envRebuild, Attempt a) {
        EnvRebuild rebuild = new EnvRebuild(childEnv, err, m -> phase("environment", m));
        synchronized (lock) {
            if (stopped) {
                throw new Stopped();
            }
            building = rebuild;
        }
        try {
            Path workDir = ws.root().resolve(r.workdirInRepo()).normalize();
            return rebuild.apply(r, ws.root(), workDir, childEnv, envRebuild, a.notes);
        } catch (CaptureException e) {
            throw new Stopped(); // only STOPPED comes out: the user interrupted the build
        } finally {
            synchronized (lock) {
                building = null;
            }
        }
    }

    /** What the record says the environment was, said before the run. */
    private static String environmentSummary(RunRecord r) {
        List<String> parts = new ArrayList<>();
        String py = r.python().path("version").asText("");
        if (!py.isEmpty()) {
            parts.add("recorded Python " + py + " (" + r.packages().size() + " packages)");
        }
        JsonNode pe = r.project().path("environment");
        if (pe.path("created").asBoolean(false)) {
            parts.add("rebuilding the MLproject's " + pe.path("type").asText() + " (cached by content hash)");
        }
        if (!r.dependencies().isEmpty()) {
            parts.add("dependency files "
                    + String.join(
                            ", ",
                            r.dependencies().stream()
                                    .map(RunRecord.FileDigest::path)
                                    .toList()));
        }
        if (r.seed() != null) {
            parts.add("seed " + r.seed());
        }
        return parts.isEmpty() ? "nothing recorded to check" : String.join("; ", parts);
    }

    /** What differs between the recorded environment and the reproduction's, in words. */
    static List<String> environmentDifferences(RunRecord original, RunRecord reproduction) {
        if (reproduction == null) {
            return List.of("the reproduction recorded no manifest: environment not compared");
        }
        List<String> diffs = new ArrayList<>();
        for (String cause : Causes.rank(original, reproduction, List.of())) {
            if (cause.startsWith("packages")
                    || cause.startsWith("interpreter")
                    || cause.startsWith("dependency")
                    || cause.startsWith("machine")
                    || cause.startsWith("environment")
                    || cause.startsWith("thread")) {
                diffs.add(cause);
            }
        }
        return diffs.isEmpty() ? List.of("same interpreter, packages and dependency files as recorded") : diffs;
    }

    /** Output artifacts (everything outside reprise/) by path, with their sha256. */
    private Map<String, String> outputs(JsonNode run) {
        Map<String, String> out = new LinkedHashMap<>();
        String runId = run.path("info").path("run_id").asText();
        for (Server.ArtifactFile f : server.artifacts(runId)) {
            if (!f.path().startsWith("reprise/")) {
                out.put(f.path(), server.sha256(run, f.path()));
            }
        }
        return out;
    }

    private void checkStopped() {
        synchronized (lock) {
            if (stopped) {
                throw new Stopped();
            }
        }
    }

    private void phase(String name, String message) {
        err.println("reprise reproduce: " + name + ": " + message);
    }

    private static String joinedText(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
