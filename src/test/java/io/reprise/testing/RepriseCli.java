package io.reprise.testing;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code reprise} in its own JVM, as a user would: its own working directory, environment, exit
 * code, output and signals. The environment starts empty but for PATH and a private HOME (whose tmp/
 * is java.io.tmpdir), so nothing from the machine's environment leaks into what a test asserts.
 */
public final class RepriseCli {
    private static final Pattern RUN_ID = Pattern.compile("reprise: recording run ([0-9a-f]{32})");

    private final Path workDir;
    private final Path tmp;
    private final Map<String, String> env = new HashMap<>();

    /** {@code home} is the HOME of reprise and its command; temporary files go under it too. */
    public RepriseCli(Path workDir, Path home) {
        this.workDir = workDir;
        this.tmp = home.resolve("tmp");
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
    }

    public RepriseCli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A copy without the variable {@code name}. */
    public RepriseCli without(String name) {
        RepriseCli c = in(workDir);
        c.env.remove(name);
        return c;
    }

    /** The same environment, started in {@code dir}. */
    public RepriseCli in(Path dir) {
        RepriseCli c = new RepriseCli(dir, tmp.getParent());
        c.env.putAll(env);
        return c;
    }

    /** One invocation's outcome; {@code runId} is the first run reprise said it records, if any. */
    public record Result(int exitCode, String stdout, String stderr, String runId) {
        public String all() {
            return stdout + "\n" + stderr;
        }
    }

    /** Runs reprise with {@code args} and waits for it to exit. */
    public Result run(String... args) {
        try {
            return finish(start(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts reprise with stdout and stderr going to files, for tests that signal it. */
    public Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                "io.reprise.cli.Main"));
        cmd.addAll(List.of(args));
        Files.createDirectories(tmp);
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

    /** Waits for a started reprise to exit (at most 300 s) and collects its output. */
    public static Result finish(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("reprise did not exit in 300 s");
        }
        Path[] files = OUTPUTS.remove(p);
        String out = Files.readString(files[0], StandardCharsets.UTF_8);
        String err = Files.readString(files[1], StandardCharsets.UTF_8);
        Files.deleteIfExists(files[0]);
        Files.deleteIfExists(files[1]);
        Matcher m = RUN_ID.matcher(err);
        return new Result(p.exitValue(), out, err, m.find() ? m.group(1) : null);
    }

    /** What stderr says so far, for tests waiting on a started process. */
    public static String stderrSoFar(Process p) throws IOException {
        return Files.readString(OUTPUTS.get(p)[1], StandardCharsets.UTF_8);
    }

    /** Files reprise left in its temp folder (a checkout it should have removed). */
    public List<Path> leftInTmp() throws IOException {
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("reprise-"))
                    .toList();
        }
    }
}
