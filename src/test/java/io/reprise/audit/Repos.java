package io.reprise.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real git repositories in temporary folders, and the reprise command line run on them. */
final class Repos {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Repos() {}

    /** Writes {@code files} (path -> content) under {@code dir}, git-inits it and commits everything. */
    static Path repo(Path dir, Map<String, String> files) {
        write(dir, files);
        git(dir, "init", "-q", "-b", "main");
        commitAll(dir);
        return dir;
    }

    static void write(Path dir, Map<String, String> files) {
        files.forEach((path, content) -> {
            try {
                Path p = dir.resolve(path);
                Files.createDirectories(p.getParent());
                Files.writeString(p, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static void commitAll(Path dir) {
        git(dir, "add", "-A");
        git(
                dir,
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "x");
    }

    static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("git %s: %s", command, out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }
    }

    static Result reprise(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The findings of a JSON report as "rule file:line" strings. */
    static List<String> findings(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            String where = f.path("file").isNull() ? "." : f.path("file").asText();
            if (!f.path("line").isNull()) {
                where += ":" + f.path("line").asInt();
            }
            out.add(f.path("rule").asText() + " " + where);
        }
        return out;
    }

    static double categoryScore(JsonNode report, String id) {
        for (JsonNode c : report.path("categories")) {
            if (c.path("id").asText().equals(id)) {
                return c.path("score").asDouble(-1);
            }
        }
        throw new AssertionError("no category " + id);
    }
}
