package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.capture.CaptureException;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import io.reprise.capture.SpoolServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code reprise verify}: runs a command several times, each in a clean checkout of the current commit
 * (plus the uncommitted diff and untracked files) with the same seed, and compares what each run
 * logged and wrote. Any difference means the result depends on something besides code, data and
 * seed.
 */
public final class Verifier {
    /** What to run: the command, times, seed, and where runs are recorded (null: a private server). */
    public record Options(
            List<String> command, int times, long seed, URI trackingUri, String experiment, boolean keep) {
        public Options {
            command = List.copyOf(command);
        }
    }

    /** One run: its id, exit code, metrics, produced files and output artifacts (path to sha256). */
    record RunResult(
            String runId,
            int exitCode,
            Map<String, Double> metrics,
            Map<String, String> files,
            Map<String, String> artifacts,
            List<String> lastLines) {}

    /** The outcome: every run, the differences found (empty: identical), and a failure if a run failed. */
    public record Result(List<RunResult> runs, List<String> differences, String failure) {
        public boolean identical() {
            return differences.isEmpty() && failure == null;
        }

        /** The report for people. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            if (failure != null) {
                out.add("FAILED: " + failure);
                return out;
            }
            RunResult first = runs.get(0);
            if (differences.isEmpty()) {
                out.add("IDENTICAL: " + runs.size() + " runs gave the same "
                        + first.metrics().size() + " metric(s), "
                        + first.files().size() + " produced file(s) and "
                        + first.artifacts().size() + " artifact(s)");
                first.metrics().forEach((k, v) -> out.add("  " + k + " = " + Comparison.number(v)));
                first.files()
                        .forEach((k, v) -> out.add("  " + k + "  sha256:" + v.substring(0, Math.min(12, v.length()))));
                return out;
            }
            out.add("DIFFERENT: the runs do not agree:");
            differences.forEach(d -> out.add("  " + d));
            return out;
        }

        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("identical", identical());
            out.put("failure", failure);
            out.put("differences", differences);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (RunResult r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run_id", r.runId());
                m.put("exit_code", r.exitCode());
                m.put("metrics", r.metrics());
                m.put("files", r.files());
                m.put("artifacts", r.artifacts());
                rs.add(m);
            }
            out.put("runs", rs);
            return out;
        }
    }

    private final Map<String, String> env;
    private final PrintStream err;
    private final SpoolServer.Factory privateServer;
    private final Object lock = new Object();
    private boolean stopped; // guarded by lock
    private RunSession session; // guarded by lock

    public Verifier(Map<String, String> env, PrintStream err, SpoolServer.Factory privateServer) {
        this.env = Map.copyOf(env);
        this.err = err;
        this.privateServer = privateServer;
    }

    public void stop() throws InterruptedException {
        RunSession s;
        synchronized (lock) {
            stopped = true;
            s = session;
        }
        if (s != null) {
            s.stop();
        }
    }

    /** Runs the command {@code times} times from {@code cwd}; throws {@link Reproducer.Stopped} on Ctrl-C. */
    public Result verify(Path cwd, Options o) throws InterruptedException {
        Path local = Workspace.localRepository(cwd);
        if (local == null) {
            return new Result(
                    List.of(),
                    List.of(),
                    "not in a git repository: verify runs the command in clean checkouts"
                            + " of the current commit (git init and commit first)");
        }
        String workdir = local.relativize(cwd.toAbsolutePath().normalize()).toString();
        Changes changes = Changes.of(local);
        changes.describe().forEach(d -> say(d));
        Path serverDir = null;
        SpoolServer server = null;
        try {
            URI uri = o.trackingUri();
            if (uri == null) {
                serverDir = Files.createTempDirectory("reprise-verify-server-");
                server = privateServer.start(serverDir);
                uri = server.uri();
                say("recording on a private tracking server (discarded afterwards; --tracking-uri keeps the runs)");
            }
            Server client = new Server(uri, env);
            List<RunResult> runs = new ArrayList<>();
            for (int i = 1; i <= o.times(); i++) {
                RunResult r = once(i, o, local, workdir, changes, uri, client);
                runs.add(r);
                if (r.exitCode() != 0) {
                    return new Result(
                            runs,
                            List.of(),
                            "run " + i + " exited with code " + r.exitCode()
                                    + (r.lastLines().isEmpty()
                                            ? ""
                                            : ": "
                                                    + r.lastLines()
                                                            .get(r.lastLines().size() - 1)));
                }
            }
            return new Result(runs, differences(runs), null);
        } catch (Failed f) {
            return new Result(List.of(), List.of(), f.getMessage());
        } catch (IOException e) {
            return new Result(List.of(), List.of(), "cannot create a temporary folder: " + e.getMessage());
        } finally {
            if (server != null) {
                server.close();
            }
            if (serverDir != null) {
                Workspace.delete(serverDir);
            }
        }
    }

    private RunResult once(int i, Options o, Path local, String workdir, Changes changes, URI uri, Server client)
            throws InterruptedException {
        try (Workspace ws = Workspace.ofHead(local, "verify")) {
            if (o.keep()) {
                ws.keep();
                say("run " + i + "/" + o.times() + ": checkout kept at " + ws.root());
            }
            changes.applyTo(ws);
            List<String> data = DataRestore.restoreAll(ws.root(), local);
            if (!data.isEmpty()) {
                say("run " + i + "/" + o.times() + ": data checked out: " + String.join(", ", data));
            }
            Path dir = ws.root().resolve(workdir);
            Map<String, FileStates.State> before = FileStates.scan(ws.root());
            Tail tail = new Tail(err, 20);
            RunSession s;
            try {
                RunSpec spec = RunSpec.of(
                        o.command(), dir, env, uri.toString(), o.experiment(), "verify-" + i, o.seed(), List.of());
                s = new RunSession(spec, tail.printStream(), tail.printStream());
            } catch (CaptureException e) {
                throw new Failed(e.getMessage(), e.hint());
            }
            synchronized (lock) {
                if (stopped) {
                    throw new Reproducer.Stopped();
                }
                session = s;
            }
            say("run " + i + "/" + o.times() + ": " + String.join(" ", o.command()) + " (seed " + o.seed() + ")");
            int exit;
            try {
                exit = s.execute();
            } catch (CaptureException e) {
                throw new Failed("run " + i + ": " + e.getMessage(), e.hint());
            } finally {
                synchronized (lock) {
                    session = null;
                }
            }
            synchronized (lock) {
                if (stopped) {
                    throw new Reproducer.Stopped();
                }
            }
            String runId = s.runId().orElseThrow(() -> new Failed("run " + i + " was not recorded"));
            JsonNode run = client.run(runId).orElseThrow(() -> new Failed("run " + runId + " vanished"));
            Map<String, String> artifacts = new java.util.TreeMap<>();
            for (Server.ArtifactFile f : client.artifacts(runId)) {
                if (!f.path().startsWith("reprise/")) {
                    artifacts.put(f.path(), client.sha256(run, f.path()));
                }
            }
            return new RunResult(
                    runId, exit, Server.metrics(run), FileStates.produced(ws.root(), before), artifacts, tail.last());
        }
    }

    static List<String> differences(List<RunResult> runs) {
        List<String> out = new ArrayList<>();
        RunResult first = runs.get(0);
        for (int i = 1; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            String label = "run 1 vs run " + (i + 1);
            diff(out, label, "metric", numbers(first.metrics()), numbers(r.metrics()));
            diff(out, label, "file", shortHashes(first.files()), shortHashes(r.files()));
            diff(out, label, "artifact", shortHashes(first.artifacts()), shortHashes(r.artifacts()));
        }
        return out;
    }

    private static void diff(
            List<String> out, String label, String what, Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String x = a.getOrDefault(k, "(absent)");
            String y = b.getOrDefault(k, "(absent)");
            if (!x.equals(y)) {
                out.add(label + ": " + what + " " + k + ": " + x + " != " + y);
            }
        }
    }

    private static Map<String, String> numbers(Map<String, Double> m) {
        Map<String, String> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, Comparison.number(v)));
        return out;
    }

    private static Map<String, String> shortHashes(Map<String, String> m) {
        Map<String, String> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, "sha256:" + v.substring(0, Math.min(12, v.length()))));
        return out;
    }

    private void say(String message) {
        err.println("reprise verify: " + message);
    }
}
