package io.reprise.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The wrapped command. Its output goes live to our stdout/stderr and into the {@link OutputLog};
 * stdin is inherited so interactive commands work.
 */
final class CommandProcess {
    // After the command exits, a background child may still hold its pipes open; wait this long.
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final Process process;
    private final Thread stdout;
    private final Thread stderr;

    private CommandProcess(Process process, Thread stdout, Thread stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CommandProcess start(
            List<String> command, Path dir, Map<String, String> env, OutputLog log, OutputStream out, OutputStream err)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        return new CommandProcess(p, pump(p.getInputStream(), out, log), pump(p.getErrorStream(), err, log));
    }

    private static Thread pump(InputStream in, OutputStream console, OutputLog log) {
        return Thread.ofPlatform().daemon().name("reprise-output").start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    log.write(buf, 0, n);
                    synchronized (console) {
                        console.write(buf, 0, n);
                        console.flush();
                    }
                }
            } catch (IOException e) {
                // the pipe closed under us: the command is gone
            }
        });
    }

    /** Waits for the command to exit and its output to be copied; returns its exit code. */
    int waitFor() throws InterruptedException {
        int code = process.waitFor();
        long deadline = System.nanoTime() + DRAIN.toNanos();
        stdout.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        stderr.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        return code;
    }

    /** SIGTERM to the command and its descendants; SIGKILL to whatever is left after {@code grace}. */
    void terminate(Duration grace) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    boolean alive() {
        return process.isAlive();
    }
}
