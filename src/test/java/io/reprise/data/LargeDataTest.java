package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale cases of the interop with dvc (they write several GB and take minutes): {@code ./test} runs
 * them; a plain {@code ./mvnw test} only with {@code REPRISE_SLOW_TESTS=1}.
 */
@Tag("slow")
@EnabledIfEnvironmentVariable(named = "REPRISE_SLOW_TESTS", matches = "1")
class LargeDataTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @TempDir
    Path tmp;

    private Path repo() {
        Path repo = tmp.resolve("repo");
        Fixtures.mkdirs(repo);
        git(repo, "init", "-q").ok();
        reprise(repo, "init").ok();
        return repo;
    }

    @Test
    void aSparseFileOverTwoGibibytes() throws IOException {
        Path repo = repo();
        Path big = repo.resolve("big.bin");
        long size = (5L << 29) + 7; // 2.5 GiB and a bit: sizes and offsets past 2^31
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
            for (long at : new long[] {0, (1L << 31) - 3, (1L << 31) + 12_345, size - 5}) {
                f.seek(at);
                f.write("mark".getBytes(StandardCharsets.UTF_8));
            }
        }
        reprise(repo, "add", "big.bin").ok();
        assertThat(Fixtures.read(repo.resolve("big.bin.dvc"))).contains("size: " + size + "\n");
        // dvc hashes the file itself (its own state is empty) and agrees
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        String md5 =
                Fixtures.read(repo.resolve("big.bin.dvc")).lines().findFirst().orElseThrow();

        Files.delete(big);
        reprise(repo, "checkout").ok();
        assertThat(Files.size(big)).isEqualTo(size);
        Files.delete(repo.resolve("big.bin.dvc"));
        reprise(repo, "add", "big.bin").ok();
        assertThat(Fixtures.read(repo.resolve("big.bin.dvc"))).startsWith(md5);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void aHundredThousandSmallFiles() throws IOException {
        Path repo = repo();
        Path data = repo.resolve("data");
        for (int i = 0; i < 100_000; i++) {
            Path f = data.resolve("d" + (i % 100) + "/e" + (i % 7) + "/f" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "row " + i + "\n", StandardCharsets.UTF_8);
        }
        reprise(repo, "add", "data").ok();
        assertThat(Fixtures.read(repo.resolve("data.dvc"))).contains("nfiles: 100000\n");
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        reprise(repo, "remote", "add", "-d", "store", tmp.resolve("remote").toString())
                .ok();
        assertThat(reprise(repo, "push").ok().out()).contains("100001 files pushed");
        assertThat(dvc(repo, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 'store' are in sync.");

        DvcInteropTest.deleteTree(data);
        DvcInteropTest.deleteTree(repo.resolve(".dvc/cache"));
        assertThat(reprise(repo, "pull").ok().out()).contains("100001 files fetched");
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }
}
