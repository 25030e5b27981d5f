package io.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's cache training for the commands other than the server must really walk them. */
class AotTrainTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        return Main.commandLineFor(args)
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void cliTrainingTracksDataPushesItAndRecordsARunOnAServerOfItsOwn() throws IOException {
        assertThat(run(new StringWriter(), "aot-train", "--cli", dir.toString()))
                .isZero();
        Path project = dir.resolve("project");
        assertThat(project.resolve("data/rows.csv.dvc")).exists();
        assertThat(project.resolve("data/images.dvc")).content().contains("nfiles: 10");
        assertThat(files(dir.resolve("remote")))
                .as("objects pushed to the remote")
                .isNotZero();
        assertThat(files(dir.resolve("artifacts")))
                .as("the run's record uploaded")
                .isNotZero();
    }

    @Test
    void runTrainingRecordsARunOfTheProjectsGitState() throws IOException {
        assertThat(run(new StringWriter(), "aot-train", "--run", dir.toString()))
                .isZero();
        assertThat(dir.resolve("project/.git")).isDirectory();
        assertThat(files(dir.resolve("artifacts")))
                .as("the run's record uploaded")
                .isNotZero();
        try (Stream<Path> paths = Files.walk(dir.resolve("artifacts"))) {
            Path manifest =
                    paths.filter(p -> p.endsWith("manifest.json")).findFirst().orElseThrow();
            assertThat(manifest).content().contains("\"commit\"").contains("\"true\"");
        }
    }

    @Test
    void cliTrainingRefusesAFolderThatIsNotEmpty() throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertThat(run(new StringWriter(), "aot-train", "--cli", dir.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(dir.resolve("keep.txt")).hasContent("mine");
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).hasSize(1);
        }
    }

    private static long files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).count();
        }
    }
}
