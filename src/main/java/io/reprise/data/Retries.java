package io.reprise.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Requests to a remote, retried with backoff on I/O errors (a dropped connection, a busy server). */
final class Retries {
    static final int ATTEMPTS = 3;
    private static final long BACKOFF_MS = 200;

    interface IoCall<T> {
        T call() throws IOException;
    }

    private Retries() {}

    /**
     * Runs {@code call}, again after an I/O error, {@link #ATTEMPTS} times in all; an absent object
     * (NoSuchFileException, MissingObjectException) is an answer, not an error, and is not retried. The
     * last error becomes a one-line DataException naming the remote and the object.
     */
    static <T> T run(String remote, String oid, IoCall<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (NoSuchFileException | ObjectDb.MissingObjectException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new DataException("Remote '" + remote + "': " + e.getMessage() + " (object " + oid + ", "
                            + ATTEMPTS + " attempts)");
                }
                sleep(BACKOFF_MS << attempt);
            }
        }
    }

    /** Sleeps; an interrupt ends the command. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        }
    }
}
