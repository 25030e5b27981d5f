package io.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // what `reprise <args>` runs: the part of the command tree that the arguments name
        int code = Main.commandLineFor(args)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "server --help",
                "run --help",
                "sync --help",
                "check --help",
                "check run --help",
                "check experiment --help",
                "check pr --help",
                "reproduce --help",
                "verify --help",
                "baseline --help",
                "baseline set --help",
                "baseline show --help",
                "audit --help",
                "init --help"
            })
    void everyCommandHasHelp(String args) {
        Result r = run(args.split(" "));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: reprise");
    }

    @Test
    void serverHelpShowsTheSafeDefaults() {
        Result r = run("server", "--help");
        assertThat(r.out()).contains("default: 127.0.0.1").contains("default: 5000");
    }

    @Test
    void badBackendUriIsOneLineWithAHintNotAStackTrace() {
        Result r = run(
                "server",
                "--port",
                "0",
                "--backend-store-uri",
                "mysql://x",
                "--artifacts-destination",
                dir.resolve("a").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("reprise server: Unsupported backend store URI 'mysql://x'")
                .contains("sqlite:///")
                .doesNotContain("\tat ");
    }

    @Test
    void auditAndInitBadInputIsOneLineWithAHint() {
        Result range = run("audit", dir.toString(), "--fail-under", "101");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err().lines())
                .containsExactly(
                        "reprise audit: --fail-under must be between 0 and 100, got 101",
                        "Try 'reprise audit --help' for the options.");
        Result missing = run("audit", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines())
                .containsExactly(
                        "reprise audit: no such folder: " + dir.resolve("nope"),
                        "Hint: pass the path of the repository to audit");
        Result python = run("init", dir.resolve("p").toString(), "--python", "three");
        assertThat(python.exitCode()).isEqualTo(2);
        assertThat(python.err().lines())
                .hasSize(2)
                .first()
                .isEqualTo("reprise init: --python must be a minor version such as 3.12, not 'three'");
        assertThat(python.err()).doesNotContain("\tat ");
        Result uri = run("init", dir.resolve("q").toString(), "--tracking-uri", "ftp://x");
        assertThat(uri.err().lines())
                .containsExactly(
                        "reprise init: --tracking-uri must be http(s)://HOST:PORT, not 'ftp://x'",
                        "Try 'reprise init --help' for the options.");
        Result unknown = run("audit", "--format", "xml");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().lines())
                .containsExactly(
                        "reprise audit: --format must be text, json or sarif, not 'xml'",
                        "Try 'reprise audit --help' for the options.");
    }

    @Test
    void outOfRangePortIsAUsageError() {
        Result r = run("server", "--port", "70000");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--port must be between 0 and 65535, got 70000");
    }

    @Test
    void unknownOptionIsAUsageErrorWithUsage() {
        Result r = run("server", "--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("Usage: reprise server");
    }

    @Test
    void versionNamesTheMlflowApiItSpeaks() {
        Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("MLflow").contains("REST API");
    }

    @Test
    void aotTrainingServesItsRequestsAndIsHiddenFromHelp() {
        // The launcher's cache training must succeed, or every start silently runs without it.
        assertThat(run("aot-train").exitCode()).isZero();
        assertThat(run("--help").out()).doesNotContain("aot-train");
    }
}
