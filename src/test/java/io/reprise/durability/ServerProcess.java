package io.reprise.durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code reprise server} in a JVM of its own, on a free loopback port, so that it can be killed. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    private final Process process;
    private final String url;

    private ServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts a server on {@code backendUri}; its output goes to {@code logDir}. */
    static ServerProcess start(String backendUri, Path artifacts, Path logDir)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.createDirectories(logDir);
        Path out = Files.createTempFile(logDir, "server", ".out");
        Path err = Files.createTempFile(logDir, "server", ".err");
        Process p = new ProcessBuilder(List.of(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.reprise.cli.Main",
                        "server",
                        "--port",
                        "0",
                        "--backend-store-uri",
                        backendUri,
                        "--artifacts-destination",
                        artifacts.toString()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // The server prints the port it bound once it serves; a loaded machine may take a while.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ServerProcess(p, m.group(1));
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(
                "the server did not start; stdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
    }

    String url() {
        return url;
    }

    /** SIGKILL: no shutdown hook, no flush, no connection closed politely. */
    void killNine() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
