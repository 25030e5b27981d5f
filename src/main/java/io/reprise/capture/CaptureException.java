package io.reprise.capture;

/**
 * A failure that stops {@code reprise run} before the command starts, with a hint for the user.
 * The CLI prints message and hint on one line and exits with a code chosen by {@link #kind()}.
 */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the command did not run. */
    public enum Kind {
        /** The options or environment are wrong. */
        USAGE,
        /** The tracking server could not be reached or refused the run. */
        UNAVAILABLE,
        /** The command itself could not be started (not found, not executable). */
        NOT_STARTED,
        /** The project's environment could not be created (interpreter missing, pip failed). */
        ENVIRONMENT,
        /** reprise was stopped (SIGTERM, Ctrl-C) before the command started. */
        STOPPED
    }

    private final Kind kind;
    private final String hint;

    public CaptureException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public CaptureException(Kind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public Kind kind() {
        return kind;
    }

    /** What the user can do about it; empty when there is nothing useful to say. */
    public String hint() {
        return hint;
    }
}
