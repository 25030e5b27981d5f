package io.reprise.data;

import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reprise data command line, black box. */
class DataCliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "data",
                "data init",
                "data add",
                "data status",
                "data checkout",
                "data commit",
                "data push",
                "data pull",
                "data fetch",
                "data gc",
                "data diff",
                "data remote",
                "data remote add",
                "data remote list",
                "data remote default",
                "data remote remove"
            })
    void everyDataCommandHasHelp(String command) {
        StringWriter out = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter()))
                .execute((command + " --help").split(" ", -1));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: reprise " + command);
    }

    @Test
    void outsideARepositoryItSaysHowToStart() {
        Tools.Result r = reprise(tmp, "status");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("reprise data status: You are not inside a DVC repository")
                .endsWith("run 'reprise data init' first.");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void remoteErrorsSayWhatToDo() {
        reprise(tmp, "init", "--no-scm").ok();
        assertThat(reprise(tmp, "push").err()).contains("no default remote set").contains("remote add -d");
        assertThat(reprise(tmp, "push", "-r", "nope").err()).contains("Remote 'nope' does not exist");
        reprise(tmp, "remote", "add", "gs", "gs://bucket/path").ok();
        assertThat(reprise(tmp, "pull", "-r", "gs").err())
                .contains("only local, s3:// and http(s):// remotes are supported; use dvc for this remote.");
        assertThat(reprise(tmp, "remote", "add", "gs", "/x").err())
                .contains("already exists")
                .contains("--force");
        assertThat(reprise(tmp, "remote", "default", "nope").err()).contains("must be present in remote list");
        Tools.Result noDefault = reprise(tmp, "remote", "default");
        assertThat(noDefault.exitCode()).isEqualTo(1);
        assertThat(noDefault.out()).isEqualTo("No default remote set\n");
    }

    @Test
    void emptyProjectStatusSaysSo() {
        reprise(tmp, "init", "--no-scm").ok();
        assertThat(reprise(tmp, "status").ok().out().strip())
                .isEqualTo("There are no data or pipelines tracked in this project yet.");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Tools.Result r = reprise(tmp, "add", "--bogus", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
    }
}
