package io.reprise.policy;

/** A policy file that cannot be used: its message is "FILE:LINE: reason" on one line. */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PolicyException(String message) {
        super(message);
    }
}
