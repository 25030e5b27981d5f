package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.io.PrintStream;
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

    public RunSession(RunSpec spec, PrintStream out, PrintStream err) {
        this.spec = spec;
        this.out = out;
        this.err = err;
    }

    /**
     * Creates the run, runs the command, records it and returns the command's exit code. Throws
     * {@link CaptureException} when the command was not run.
     */
    public int execute() throws InterruptedException {
        try {
            CapturedRun.Prepared prepared = CapturedRun.prepare(spec);
            CapturedRun run;
            synchronized (lock) {
                if (stopRequested) {
                    prepared.abandon();
                    throw new CaptureException(Kind.STOPPED, "stopped before the command started", "");
                }
                run = CapturedRun.launch(prepared, out, err);
                live = run;
            }
            return run.finish();
        } finally {
            done.countDown();
        }
    }

    /** Stops the command, if running, and waits (bounded) until the run has been recorded. */
    public void stop() throws InterruptedException {
        CapturedRun run;
        synchronized (lock) {
            stopRequested = true;
            run = live;
        }
        if (run != null) {
            run.terminate();
        }
        done.await(60, TimeUnit.SECONDS);
    }
}
