package io.reprise.reproduce;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Passes the command's output through and keeps its last lines, to say why it failed. */
final class Tail extends OutputStream {
    private static final int MAX_LINE = 500;
    private final PrintStream through;
    private final int keep;
    private final Deque<String> lines = new ArrayDeque<>();
    private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();

    Tail(PrintStream through, int keep) {
        this.through = through;
        this.keep = keep;
    }

    @Override
    public synchronized void write(int b) {
        through.write(b);
        if (b == '\n') {
            push();
        } else if (current.size() < MAX_LINE) {
            current.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void flush() {
        through.flush();
    }

    private void push() {
        lines.addLast(current.toString(StandardCharsets.UTF_8));
        current.reset();
        while (lines.size() > keep) {
            lines.removeFirst();
        }
    }

    /** The last non-blank lines the command printed (reprise's own lines left out). */
    synchronized List<String> last() {
        List<String> out = new ArrayList<>(lines);
        if (current.size() > 0) {
            out.add(current.toString(StandardCharsets.UTF_8));
        }
        out.removeIf(l -> l.isBlank() || l.startsWith("reprise: "));
        return out.subList(Math.max(0, out.size() - keep), out.size());
    }

    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }
}
