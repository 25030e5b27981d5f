package io.reprise.capture;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code reprise} in its own JVM, as a user would: its own environment, working directory,
 * exit code and signals. The environment starts empty but for PATH and a private HOME, so nothing
 * from the machine's environment leaks into what a test asserts.
 */
final class Reprise {
    private static final Pattern RUN_ID = Pattern.compile("reprise: recording run ([0-9a-f]{32})");

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();

    private final Path javaTmp;

    /** {@code home} is the HOME of reprise and its command; temporary files go under it too. */
    Reprise(Path workDir, Path home) {
        this.workDir = workDir;
        this.javaTmp = home.resolve("tmp");
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
    }

    Reprise env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The outcome of one invocation; {@code runId} is null when no run was created. */
    record Result(int exitCode, String stdout, String stderr, String runId) {}

    Result run(String... args) {
        try {
            Process p = start(args);
            p.getOutputStream().close();
            return finish(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts reprise with stdout and stderr going to files, for tests that signal it. */
    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + javaTmp,
                "-cp",
                System.getProperty("java.class.path"),
                "io.reprise.cli.Main"));
        cmd.addAll(List.of(args));
        Files.createDirectories(javaTmp);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("reprise-test-out", ".txt");
        Path err = Files.createTempFile("reprise-test-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        OUTPUTS.put(p, new Path[] {out, err});
        return p;
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static Result finish(Process p) throws InterruptedException, IOException {
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("reprise did not exit in 120 s");
        }
        String out = Files.readString(OUTPUTS.get(p)[0], StandardCharsets.UTF_8);
        String err = Files.readString(OUTPUTS.get(p)[1], StandardCharsets.UTF_8);
        Files.deleteIfExists(OUTPUTS.get(p)[0]);
        Files.deleteIfExists(OUTPUTS.get(p)[1]);
        OUTPUTS.remove(p);
        Matcher m = RUN_ID.matcher(err);
        return new Result(p.exitValue(), out, err, m.find() ? m.group(1) : null);
    }

    /** What stderr says so far, for tests waiting on a started process. */
    static String stderrSoFar(Process p) throws IOException {
        return Files.readString(OUTPUTS.get(p)[1], StandardCharsets.UTF_8);
    }
}
