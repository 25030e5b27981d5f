package io.reprise.reproduce;

/**
 * A reproduction that could not be carried out: the verdict is FAILED with this one-line reason
 * (and a hint, when there is something to do about it).
 */
final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String hint;

    Failed(String reason, String hint) {
        super(reason);
        this.hint = hint;
    }

    Failed(String reason) {
        this(reason, "");
    }
}
