package io.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code reprise server} in its own JVM, started from the test classpath exactly as a user starts
 * it, for what an in-process server cannot show: signals, exit codes, the bound address, a small heap.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://(\\S+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String host;
    private final int port;

    private ServerProcess(Process process, Path log, String host, int port) {
        this.process = process;
        this.log = log;
        this.host = host;
        this.port = port;
    }

    /** Runs {@code reprise server <args>} with {@code jvmOptions}; its output goes to {@code dir/server.log}. */
    public static ServerProcess start(Path dir, List<String> jvmOptions, List<String> args) throws IOException {
        return start(dir, jvmOptions, args, java.util.Map.of());
    }

    /** As {@link #start(Path, List, List)}, with {@code env} added to the server's environment. */
    public static ServerProcess start(
            Path dir, List<String> jvmOptions, List<String> args, java.util.Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.reprise.cli.Main");
        command.add("server");
        command.addAll(args);
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            Matcher m = awaitListening(process, log);
            return new ServerProcess(process, log, m.group(1), Integer.parseInt(m.group(2)));
        } catch (RuntimeException | IOException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static Matcher awaitListening(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("reprise server exited at startup:\n" + Files.readString(log));
            }
            sleep(50);
        }
        throw new IllegalStateException(
                "reprise server did not start in " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** The address the server says it listens on, as printed. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    /** Everything the server printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM (what {@code kill} and service managers send) and waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "reprise server did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
