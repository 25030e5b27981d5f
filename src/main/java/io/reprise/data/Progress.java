package io.reprise.data;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress display on stderr, redrawn a few times a second, shown only when stderr is a
 * terminal so pipes and logs stay clean.
 */
final class Progress implements AutoCloseable {
    private static final long REDRAW_MS = 150;
    private static final boolean TERMINAL = stderrIsTerminal();

    private final String label;
    private final long totalFiles;
    private final long totalBytes;
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread painter;
    private final PrintStream err = System.err;

    private Progress(String label, long totalFiles, long totalBytes, boolean show) {
        this.label = label;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.painter =
                show ? Thread.ofPlatform().daemon().name("reprise-progress").start(this::paintLoop) : null;
    }

    static Progress start(String label, long totalFiles, long totalBytes) {
        return new Progress(label, totalFiles, totalBytes, TERMINAL);
    }

    /** Whether progress is drawn (stderr is a terminal). */
    static boolean shown() {
        return TERMINAL;
    }

    static Progress none() {
        return new Progress("", 0, 0, false);
    }

    void bytes(long n) {
        bytes.addAndGet(n);
    }

    void fileDone() {
        files.incrementAndGet();
    }

    private void paintLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(REDRAW_MS);
                paint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void paint() {
        String line = String.format(
                Locale.ROOT,
                "%s %d/%d files, %s/%s",
                label,
                files.get(),
                totalFiles,
                Sizes.human(bytes.get()),
                Sizes.human(totalBytes));
        err.print("\r" + line + "\u001b[K");
        err.flush();
    }

    @Override
    public void close() {
        if (painter != null) {
            painter.interrupt();
            try {
                painter.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false; // no /proc (not Linux): stay quiet rather than garble a pipe
        }
    }
}
