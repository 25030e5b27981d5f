package io.reprise.reproduce;

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
 * Runs {@code reprise} in its own JVM as a user would: own working directory, environment (PATH, a
 * private HOME whose tmp/ is java.io.tmpdir, the tracking URI), exit code and output.
 */
final class Cli {
    private static final Pattern RUN_ID = Pattern.compile("reprise: recording run ([0-9a-f]{32})");

    private final Path workDir;
    private final Path tmp;
    private final Map<String, String> env = new HashMap<>();

    Cli(Path workDir, Path home, String trackingUri) {
        this.workDir = workDir;
        this.tmp = home.resolve("tmp");
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("MLFLOW_TRACKING_URI", trackingUri);
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli without(String name) {
        Cli c = in(workDir);
        c.env.remove(name);
        return c;
    }

    Cli in(Path dir) {
        Cli c = new Cli(dir, tmp.getParent(), env.get("MLFLOW_TRACKING_URI"));
        c.env.putAll(env);
        return c;
    }

    /** One invocation's outcome; {@code runId} is the first run reprise said it records, if any. */
    record Result(int exitCode, String stdout, String stderr, String runId) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    Result run(String... args) {
        try {
            Process p = start(args);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("reprise " + String.join(" ", args) + " did not exit in 300 s");
            }
            return finish(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    Process start(String... args) throws IOException {
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

    Result finish(Process p) throws IOException {
        Path[] files = OUTPUTS.remove(p);
        String out = Files.readString(files[0], StandardCharsets.UTF_8);
        String err = Files.readString(files[1], StandardCharsets.UTF_8);
        Files.deleteIfExists(files[0]);
        Files.deleteIfExists(files[1]);
        Matcher m = RUN_ID.matcher(err);
        return new Result(p.exitValue(), out, err, m.find() ? m.group(1) : null);
    }

    String stderrSoFar(Process p) throws IOException {
        return Files.readString(OUTPUTS.get(p)[1], StandardCharsets.UTF_8);
    }

    /** Files reprise left in its temp folder (a checkout it should have removed). */
    List<Path> leftInTmp() throws IOException {
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("reprise-"))
                    .toList();
        }
    }
}
