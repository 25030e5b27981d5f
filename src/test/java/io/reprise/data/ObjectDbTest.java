package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectDbTest {
    @TempDir
    Path tmp;

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void ingestNamesTheObjectByItsContentAndMakesItReadOnly() throws IOException {
        Path src = Files.writeString(tmp.resolve("f"), "hello\n");
        ObjectDb db = new ObjectDb(tmp.resolve("cache"));
        Md5.Hashed h = db.ingest(src, Files.size(src), n -> {});
        assertThat(h.md5()).isEqualTo("b1946ac92492d2347c6235b4d2611184");
        Path obj = tmp.resolve("cache/files/md5/b1/946ac92492d2347c6235b4d2611184");
        assertThat(files(tmp.resolve("cache"))).containsExactly(obj);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(obj)))
                .isEqualTo("r--r--r--");
    }

    @Test
    void aFailedReadLeavesNoObjectAndNoTempFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("not-a-file"));
        ObjectDb db = new ObjectDb(tmp.resolve("cache"));
        assertThatThrownBy(() -> db.ingest(dir, 0, n -> {})).isInstanceOf(IOException.class);
        assertThat(files(tmp.resolve("cache"))).isEmpty();
    }

    @Test
    void anInterruptedCopyNeverShowsUpUnderTheObjectsName() throws IOException {
        ObjectDb remote = new ObjectDb(tmp.resolve("remote"));
        ObjectDb cache = new ObjectDb(tmp.resolve("cache"));
        String oid = "b1946ac92492d2347c6235b4d2611184";
        Files.createDirectories(remote.path(oid).getParent());
        Files.writeString(remote.path(oid), "hello\n");
        // the copy dies half way (here: the progress callback throws after the first chunk)
        assertThatThrownBy(() -> cache.copyFrom(remote, oid, true, n -> {
                    throw new IllegalStateException("killed");
                }))
                .hasMessage("killed");
        assertThat(cache.has(oid)).isFalse();
        assertThat(files(tmp.resolve("cache"))).isEmpty();
    }

    @Test
    void aCorruptedObjectIsRejectedWhenFetched() throws IOException {
        ObjectDb remote = new ObjectDb(tmp.resolve("remote"));
        ObjectDb cache = new ObjectDb(tmp.resolve("cache"));
        String oid = "b1946ac92492d2347c6235b4d2611184";
        Files.createDirectories(remote.path(oid).getParent());
        Files.writeString(remote.path(oid), "tampered\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> cache.copyFrom(remote, oid, true, n -> {}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("is corrupted");
        assertThat(files(tmp.resolve("cache"))).isEmpty();
    }
}
