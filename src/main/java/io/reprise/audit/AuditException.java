package io.reprise.audit;

/** A problem with what the user asked for (a bad path, not a repository, a bad server): one line and a hint. */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String hint;
    private final boolean unavailable;

    AuditException(String message, String hint) {
        this(message, hint, false);
    }

    AuditException(String message, String hint, boolean unavailable) {
        super(message);
        this.hint = hint;
        this.unavailable = unavailable;
    }

    /** What to do about it. */
    public String hint() {
        return hint;
    }

    /** True when a server could not be reached (as opposed to a bad argument). */
    public boolean unavailable() {
        return unavailable;
    }
}
