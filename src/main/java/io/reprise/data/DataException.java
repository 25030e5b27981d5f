package io.reprise.data;

import java.io.Serial;

/** A failure the user can act on; the message says what happened and what to do. */
public final class DataException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
