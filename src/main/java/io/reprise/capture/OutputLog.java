package io.reprise.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command's stdout and stderr, interleaved as they arrive, in a temporary file. Only the first
 * {@link #CAP} bytes are kept so a chatty command cannot fill the disk or the artifact store.
 */
final class OutputLog implements AutoCloseable {
    static final long CAP = 64L * 1024 * 1024;

    private final Path file;
    private final OutputStream out;
    private long written;
    private long dropped;

    OutputLog() throws IOException {
        file = Files.createTempFile("reprise-output-", ".log");
        out = Files.newOutputStream(file);
    }

    synchronized void write(byte[] b, int off, int len) {
        int keep = (int) Math.max(0, Math.min(len, CAP - written));
        try {
            out.write(b, off, keep);
        } catch (IOException e) {
            keep = 0; // a full temp disk loses the log, never the run
        }
        written += keep;
        dropped += len - keep;
    }

    /** Closes the file, noting how much was cut, and returns it. */
    synchronized Path finish() {
        try {
            if (dropped > 0) {
                String note = "\n[reprise: output truncated, " + dropped + " more bytes not kept]\n";
                out.write(note.getBytes(StandardCharsets.UTF_8));
            }
            out.close();
        } catch (IOException e) {
            // keep what was written
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
