package io.reprise.cli;

/** Every exit code a reprise command returns. */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    /** A {@code reprise check} gate that did not pass (CI treats any non-zero exit as failure). */
    static final int CHECK_FAILED = 1;

    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;
    /** An MLproject's environment could not be created. */
    static final int ENVIRONMENT = 4;

    /** {@code reprise reproduce}: a metric, output or input differs; {@code reprise verify}: runs differ. */
    static final int DIVERGED = 1;
    /** {@code reprise reproduce}: the reproduction could not be carried out (verdict FAILED). */
    static final int REPRODUCTION_FAILED = 4;
    /** Stopped by Ctrl-C (SIGINT), as a shell reports it. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
