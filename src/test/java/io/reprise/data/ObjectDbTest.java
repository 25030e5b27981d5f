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
    void mappedHashingAgreesWithStreamingAcrossWindowsAndChunks() throws IOException {
        byte[] data = new byte[(3 << 20) + 12_345];
        new java.util.Random(7).nextBytes(data);
        Path f = Files.write(tmp.resolve("big"), data);
        java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(f)) {
            // windows of 1 MiB + 1 byte: every window and chunk boundary falls somewhere odd
            Md5.Hashed h = Md5.mapped(in, (1 << 20) + 1, reported::addAndGet);
            assertThat(h).isEqualTo(new Md5.Hashed(Md5.of(data), data.length));
        }
        assertThat(reported.get()).isEqualTo(data.length);
        try (java.nio.channels.FileChannel in =
                java.nio.channels.FileChannel.open(Files.write(tmp.resolve("e"), new byte[0]))) {
            assertThat(Md5.mapped(in, n -> {}).md5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        }
        // and ingest, which copies large files in the kernel and hashes the copy this way
        ObjectDb db = new ObjectDb(tmp.resolve("cache"));
        assertThat(db.ingest(f, data.length, n -> {}).md5()).isEqualTo(Md5.of(data));
        assertThat(Files.readAllBytes(db.path(Md5.of(data)))).isEqualTo(data);
    }

    @Test
    void aLargeFileIsNamedByItsBytesWhetherItsSourceOrItsCopyIsHashed() throws IOException {
        ObjectDb db = new ObjectDb(tmp.resolve("cache"));
        for (boolean settled : new boolean[] {true, false}) {
            byte[] data = new byte[300_000];
            new java.util.Random(settled ? 1 : 2).nextBytes(data);
            Path src = Files.write(tmp.resolve("large-" + settled), data);
            if (settled) { // an old mtime: the source, whose stat holds, is hashed; else the copy is
                Files.setLastModifiedTime(
                        src, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            }
            java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();
            Md5.Hashed h = db.ingest(src, data.length, reported::addAndGet);
            assertThat(h).isEqualTo(new Md5.Hashed(Md5.of(data), data.length));
            assertThat(Files.readAllBytes(db.path(h.md5()))).isEqualTo(data);
            assertThat(reported.get()).isEqualTo(data.length); // each byte counted once
        }
        assertThat(files(tmp.resolve("cache"))).hasSize(2);
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

    @Test
    void copiesSmallAndLargeObjectsWholeReadOnlyAndVerifiedWhenAsked() throws IOException {
        ObjectDb cache = new ObjectDb(tmp.resolve("cache"));
        ObjectDb remote = new ObjectDb(tmp.resolve("remote"));
        ObjectDb back = new ObjectDb(tmp.resolve("back"));
        byte[] large = new byte[200_000]; // above the size copied through memory
        new java.util.Random(7).nextBytes(large);
        for (byte[] content : List.of("small\n".getBytes(StandardCharsets.UTF_8), new byte[0], large)) {
            Path src = Files.write(tmp.resolve("src"), content);
            String oid = cache.ingest(src, content.length, n -> {}).md5();
            remote.copyFrom(cache, oid, false, n -> {}); // push: our own object, not hashed again
            back.copyFrom(remote, oid, true, n -> {}); // fetch: verified
            for (ObjectDb db : List.of(remote, back)) {
                assertThat(Files.readAllBytes(db.path(oid))).isEqualTo(content);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.path(oid))))
                        .isEqualTo("r--r--r--");
            }
        }
        assertThat(files(tmp.resolve("remote")))
                .allMatch(p -> !p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void missingAnswersTheSameByListingFoldersAsByAStatEach() throws IOException {
        ObjectDb db = new ObjectDb(tmp.resolve("cache"));
        List<String> oids = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String content = "object " + i + "\n";
            String oid = Md5.of(content.getBytes(StandardCharsets.UTF_8));
            oids.add(oid);
            if (i % 50 != 7) {
                Path src = Files.writeString(tmp.resolve("src"), content);
                db.ingest(src, Files.size(src), n -> {});
                Files.delete(src);
            }
        }
        List<String> absent = oids.stream().filter(o -> !db.has(o)).toList();
        assertThat(absent).hasSize(12);

        assertThat(db.missing(oids)).containsExactlyInAnyOrderElementsOf(absent); // 600: lists folders
        // Names no object can have are missing too, whichever way the store is asked.
        List<String> withOdd = new java.util.ArrayList<>(oids);
        List<String> odd =
                List.of("Zz" + oids.get(1).substring(2), oids.get(1).toUpperCase(java.util.Locale.ROOT), "a");
        withOdd.addAll(odd);
        List<String> expected = new java.util.ArrayList<>(absent);
        expected.addAll(odd);
        assertThat(db.missing(withOdd)).containsExactlyInAnyOrderElementsOf(expected);
        // A name that is a prefix or extension of a stored one is not that object.
        String stored = oids.get(1);
        List<String> near = new java.util.ArrayList<>(oids);
        near.addAll(List.of(stored.substring(0, 31), stored + "0"));
        assertThat(db.missing(near))
                .contains(stored.substring(0, 31), stored + "0")
                .doesNotContain(stored);
        assertThat(db.missing(oids.subList(0, 100)))
                .containsExactlyInAnyOrderElementsOf(
                        absent.stream().filter(oids.subList(0, 100)::contains).toList());
    }
}
