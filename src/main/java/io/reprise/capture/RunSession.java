package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.File;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code reprise run} from start to end, stoppable at any point from another thread (a JVM
 * shutdown hook on SIGTERM or Ctrl-C). Create it, make {@link #stop()} reachable, then call
 * {@link #execute()}: a stop that comes before the command starts ends the run KILLED without
 * running the command; one that comes later is forwarded to the command.
 */
public final class RunSession {
    private final RunSpec spec;
    private final PrintStream out;
    private final PrintStream err;
    private final Object lock = new Object();
    private final CountDownLatch done = new CountDownLatch(1);
    private boolean stopRequested; // guarded by lock
    private CapturedRun live; // guarded by lock
    private VirtualEnvs building; // guarded by lock

    private final SpoolServer.Factory offline;
    private Map<String, String> createTags = Map.of();
    private volatile String runId;

    public RunSession(RunSpec spec, PrintStream out, PrintStream err) {
        this(spec, out, err, null);
    }

    /**
     * With {@code offline}, a tracking server that cannot be reached does not stop the run: it is
     * recorded on a private server started by {@code offline} in a spool entry, for {@code reprise sync}.
     */
    public RunSession(RunSpec spec, PrintStream out, PrintStream err, SpoolServer.Factory offline) {
        this.spec = spec;
        this.out = out;
        this.err = err;
        this.offline = offline;
    }

    /**
     * Extra tags sent with create-run (e.g. {@code reprise.reproduction_of}), so the run carries them
     * from its first moment, even when it is stopped. Call before {@link #execute()}.
     */
    public RunSession withCreateTags(Map<String, String> tags) {
        this.createTags = Map.copyOf(tags);
        return this;
    }

    /** The id of the run this session created; empty until created (and when it never was). */
    public java.util.Optional<String> runId() {
        return java.util.Optional.ofNullable(runId);
    }

    /**
     * Creates the run, runs the command, records it and returns the command's exit code. Throws
     * {@link CaptureException} when the command was not run.
     */
    public int execute() throws InterruptedException {
        Spooled spooled = null;
        try {
            RunSpec s = withEnvironment(spec);
            CapturedRun.Prepared prepared;
            try {
                prepared = CapturedRun.prepare(s, createTags);
            } catch (CaptureException e) {
                if (offline == null || !unreachable(e)) {
                    throw e;
                }
                spooled = Spooled.start(s, offline, err);
                prepared =
                        CapturedRun.prepare(s.withTrackingUri(spooled.server().uri()), createTags);
            }
            runId = prepared.run().runId();
            CapturedRun run;
            synchronized (lock) {
                if (stopRequested) {
                    prepared.abandon();
                    throw new CaptureException(Kind.STOPPED, "stopped before the command started", "");
                }
                run = CapturedRun.launch(prepared, out, err);
                live = run;
            }
            int exit = run.finish();
            if (spooled != null) {
                spooled.complete(prepared.run().runId());
                spooled = null;
            }
            return exit;
        } finally {
            if (spooled != null) { // the command did not run; the run's record (FAILED, KILLED) is kept
                spooled.complete(null);
            }
            done.countDown();
        }
    }

    private static boolean unreachable(CaptureException e) {
        return e.kind() == Kind.UNAVAILABLE
                && e.getCause() instanceof TrackingClient.ServerError se
                && "UNREACHABLE".equals(se.errorCode);
    }

    /**
     * An MLproject's python_env is built (or found in the cache) before the run is created, so a
     * failed build records nothing; the command then runs with the environment activated.
     */
    private RunSpec withEnvironment(RunSpec s) {
        ProjectRun p = s.project();
        if (p == null) {
            return s;
        }
        p.command().warnings().forEach(w -> err.println("reprise: warning: " + w));
        if (!p.needsVenv()) {
            if (!(p.project().env() instanceof ProjectEnv.None)
                    && p.envManager().equals(ProjectRun.LOCAL)) {
                err.println("reprise: the MLproject's " + p.project().env().type()
                        + " is not created: running in the current environment (--env-manager local)");
            }
            return s;
        }
        VirtualEnvs envs = new VirtualEnvs(s.env(), err);
        synchronized (lock) {
            if (stopRequested) {
                throw new CaptureException(Kind.STOPPED, "stopped before the command started", "");
            }
            building = envs;
        }
        Venv venv =
                envs.prepare(p.project().dir(), ((ProjectEnv.Python) p.project().env()).file());
        Map<String, String> env = new HashMap<>(s.env());
        // what `source bin/activate` does, which mlflow run prefixes the command with
        env.put("PATH", venv.dir().resolve("bin") + File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("VIRTUAL_ENV", venv.dir().toString());
        env.remove("PYTHONHOME");
        return s.with(p.withVenv(venv), env);
    }

    /** Stops the command, if running, and waits (bounded) until the run has been recorded. */
    public void stop() throws InterruptedException {
        CapturedRun run;
        VirtualEnvs envs;
        synchronized (lock) {
            stopRequested = true;
            run = live;
            envs = building;
        }
        if (envs != null) {
            envs.stop();
        }
        if (run != null) {
            run.terminate();
        }
        done.await(60, TimeUnit.SECONDS);
    }
}
