package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real tools the interop tests drive: dvc 3.x from the venv {@code scripts/python-env.sh dvc}
 * makes (or {@code $REPRISE_DVC}, a dvc executable), git, and reprise itself (in process).
 */
final class Tools {
    /** Exit code and output of one command. */
    record Result(int exitCode, String out, String err) {
        Result ok() {
            assertThat(exitCode)
                    .as("exit code; stdout:\n%s\nstderr:\n%s", out, err)
                    .isZero();
            return this;
        }
    }

    private static Path venvBin;
    // dvc's state and index live outside the repo (/var/tmp by default); keep the tests' in target/.
    private static final Path SITE_CACHE = projectRoot().resolve("target/dvc-site-cache");

    private Tools() {}

    /** The venv's bin folder holding dvc and its python; created once per JVM. */
    static synchronized Path venvBin() {
        if (venvBin == null) {
            String given = System.getenv("REPRISE_DVC");
            if (given != null && !given.isBlank()) {
                venvBin = Path.of(given).toAbsolutePath().getParent();
            } else {
                Path script = projectRoot().resolve("scripts/python-env.sh");
                Result r = run(projectRoot(), Map.of(), script.toString(), "dvc");
                assertThat(r.exitCode())
                        .as("scripts/python-env.sh dvc failed: %s", r.err())
                        .isZero();
                venvBin = Path.of(r.out().strip()).resolve("bin");
            }
        }
        return venvBin;
    }

    private static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/python-env.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run the tests from the project folder (scripts/python-env.sh not found)");
        }
        return p;
    }

    static Result dvc(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(venvBin().resolve("dvc").toString()));
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd.toArray(String[]::new));
    }

    /** Runs a Python snippet in dvc's venv (to call ruamel.yaml, json, configobj as dvc does). */
    static Result python(Path dir, String script, String stdin) {
        return runWithInput(dir, Map.of(), stdin, venvBin().resolve("python").toString(), "-c", script);
    }

    static Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd.toArray(String[]::new));
    }

    /** {@code reprise data -C dir args...}, in this JVM. */
    static Result reprise(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("data", "-C", dir.toString()));
        argv.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(argv.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(Path dir, Map<String, String> env, String... cmd) {
        return runWithInput(dir, env, null, cmd);
    }

    private static Result runWithInput(Path dir, Map<String, String> env, String stdin, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.put("DVC_NO_ANALYTICS", "1");
        e.put("DVC_NO_UPDATER", "1");
        e.put("DVC_SITE_CACHE_DIR", SITE_CACHE.toString());
        e.put("GIT_AUTHOR_NAME", "Reprise Test");
        e.put("GIT_AUTHOR_EMAIL", "test@reprise.invalid");
        e.put("GIT_COMMITTER_NAME", "Reprise Test");
        e.put("GIT_COMMITTER_EMAIL", "test@reprise.invalid");
        e.put("LC_ALL", "C.UTF-8");
        e.putAll(env);
        try {
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = Thread.ofPlatform().start(() -> drain(p.getErrorStream(), err));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            drain(p.getInputStream(), out);
            int code = p.waitFor();
            errReader.join();
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e1) {
            throw new UncheckedIOException(e1);
        } catch (InterruptedException e1) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e1);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
