package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees from reprise data on its own repositories (dvc only as a referee). */
class DataRepoTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void repo() {
        repo = tmp.resolve("repo");
        Fixtures.mkdirs(repo);
        git(repo, "init", "-q").ok();
        reprise(repo, "init").ok();
    }

    private void aMinuteOld(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void statusTrustsTheStateForUnchangedStatsAndRehashesTouchedFiles() throws IOException {
        Path f = repo.resolve("model.bin");
        Files.writeString(f, "version 1");
        aMinuteOld(f);
        reprise(repo, "add", "model.bin").ok();
        FileTime recorded = Files.getLastModifiedTime(f);

        // Same inode, size and mtime: the state answers, the file is not read again (as with dvc and git).
        Files.writeString(f, "version 2");
        Files.setLastModifiedTime(f, recorded);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        // Any stat change makes it hash again.
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(reprise(repo, "status").ok().out()).contains("modified:           model.bin");
    }

    @Test
    void statusRemembersUnchangedFoldersYetSeesEveryChange() throws IOException {
        Path a = repo.resolve("data/a.txt");
        Path b = repo.resolve("data/sub/b.txt");
        Fixtures.write(a, "a\n");
        Fixtures.write(b, "b\n");
        aMinuteOld(a);
        aMinuteOld(b);
        reprise(repo, "add", "data").ok();
        Path objects = repo.resolve(".dvc/cache/files/md5");
        try (Stream<Path> folders = Files.list(objects)) {
            for (Path folder : folders.toList()) {
                aMinuteOld(folder); // an idle cache: its folders' mtimes can be trusted
            }
        }
        aMinuteOld(objects);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        // Both facts are remembered now: the folder's oid by its walk, and its files being cached.
        assertThat(Files.readString(repo.resolve(".dvc/tmp/reprise-dirs.txt")))
                .contains("oid ")
                .contains("complete ");

        // Same size, other content, new mtime: a changed stat is seen.
        Files.writeString(a, "A\n");
        assertThat(reprise(repo, "status").ok().out()).contains("modified:           data");
        Files.writeString(a, "a\n");
        aMinuteOld(a);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        // A file renamed: same inode, mtime and size, another path.
        Path renamed = repo.resolve("data/sub/b2.txt");
        Files.move(b, renamed);
        assertThat(reprise(repo, "status").ok().out()).contains("modified:           data");
        Files.move(renamed, b);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        // A file added to the folder.
        Path c = repo.resolve("data/sub/c.txt");
        Fixtures.write(c, "c\n");
        aMinuteOld(c);
        assertThat(reprise(repo, "status").ok().out()).contains("modified:           data");
        Files.delete(c);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        // An object removed from the cache (gc by another tool, a hand-made rm).
        Path object = objects.resolve("3b/5d5c3712955042212316173ccf37be"); // md5 of "b\n"
        assertThat(object).exists();
        Files.delete(object);
        assertThat(reprise(repo, "status").ok().out()).contains("not in cache:       data");
    }

    @Test
    void addVouchesForTheObjectsItWroteSoTheNextStatusNeedNotLookThemUp() throws IOException {
        Fixtures.write(repo.resolve("data/a.txt"), "a\n");
        Fixtures.write(repo.resolve("data/sub/b.txt"), "b\n");
        reprise(repo, "add", "data").ok();
        String oid = Fixtures.read(repo.resolve("data.dvc")).replaceAll("(?s).*md5: (\\S+).*", "$1");
        assertThat(Files.readString(repo.resolve(".dvc/tmp/reprise-dirs.txt"))).contains("complete " + oid + " ");

        // The remembered answer holds only while the cache is unchanged.
        Files.delete(repo.resolve(".dvc/cache/files/md5/3b/5d5c3712955042212316173ccf37be")); // "b\n"
        assertThat(reprise(repo, "status").ok().out()).contains("not in cache:       data");
    }

    @Test
    void checkoutKeepsUnsavedWorkUnlessForced() throws IOException {
        Fixtures.write(repo.resolve("data/a.txt"), "a\n");
        Fixtures.write(repo.resolve("b.txt"), "b\n");
        reprise(repo, "add", "data", "b.txt").ok();
        Fixtures.write(repo.resolve("data/a.txt"), "unsaved edit\n");
        Fixtures.write(repo.resolve("data/extra.txt"), "new file\n");
        Files.delete(repo.resolve("b.txt"));

        Tools.Result r = reprise(repo, "checkout");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("A\tb.txt\n"); // the safe output is still restored
        assertThat(r.err()).contains("unsaved files").contains("data/a.txt").contains("data/extra.txt");
        assertThat(Fixtures.read(repo.resolve("data/a.txt"))).isEqualTo("unsaved edit\n");

        assertThat(reprise(repo, "checkout", "--force").ok().out()).isEqualTo("M\tdata/\n");
        assertThat(Fixtures.read(repo.resolve("data/a.txt"))).isEqualTo("a\n");
        assertThat(repo.resolve("data/extra.txt")).doesNotExist();
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void commitRecordsChangesTheWayDvcReadsThem() {
        Fixtures.write(repo.resolve("data/a.txt"), "a\n");
        reprise(repo, "add", "data").ok();
        Fixtures.write(repo.resolve("data/a.txt"), "changed\n");
        Fixtures.write(repo.resolve("data/b.txt"), "new\n");
        assertThat(reprise(repo, "status").ok().out()).contains("modified:           data");
        reprise(repo, "commit").ok();
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(Fixtures.read(repo.resolve("data.dvc"))).contains("nfiles: 2\n");
    }

    @Test
    void hardlinkAndSymlinkCacheTypesLinkTheWorkspaceToTheCache() throws IOException {
        for (String type : new String[] {"hardlink", "symlink"}) {
            Fixtures.write(repo.resolve(".dvc/config"), "[cache]\n    type = " + type + "\n");
            Path f = repo.resolve(type + "/f.txt");
            Fixtures.write(f, "linked " + type + "\n");
            reprise(repo, "add", type).ok();
            Path obj = repo.resolve(".dvc/cache/files/md5").resolve(Oids.relativePath(Md5.of(Files.readAllBytes(f))));
            assertThat(Files.isSameFile(f, obj)).as(type).isTrue();
            assertThat(Files.isSymbolicLink(f)).isEqualTo(type.equals("symlink"));
            assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

            DvcInteropTest.deleteTree(repo.resolve(type));
            reprise(repo, "checkout").ok();
            assertThat(Files.isSameFile(f, obj)).isTrue();
            assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        }
    }

    @Test
    void pullRejectsACorruptedRemoteObjectAndLeavesNothingBehind() throws IOException {
        Fixtures.write(repo.resolve("data/a.txt"), "precious\n");
        reprise(repo, "add", "data").ok();
        reprise(repo, "remote", "add", "-d", "store", "../remote").ok();
        reprise(repo, "push").ok();
        Path remoteObj = tmp.resolve("remote/files/md5")
                .resolve(Oids.relativePath(Md5.of("precious\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Files.setPosixFilePermissions(remoteObj, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(remoteObj, "tampered\n");
        DvcInteropTest.deleteTree(repo.resolve(".dvc/cache"));
        DvcInteropTest.deleteTree(repo.resolve("data"));

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is corrupted").contains("push it again");
        assertThat(repo.resolve("data")).doesNotExist();
        assertThat(tmpFiles(repo.resolve(".dvc/cache"))).isEmpty();
        assertThat(Fixtures.contents(repo.resolve(".dvc/cache"))).isEmpty();
    }

    // A dataset in a folder of small files (written while fetched) and a large one (checked out from
    // the cache after), plus a single-file output; pushed, then the workspace and cache emptied.
    private Path pushedAndEmptied() throws IOException {
        for (int i = 0; i < 40; i++) {
            Fixtures.write(repo.resolve("data/sub" + (i % 4) + "/f" + i + ".txt"), "file " + i + "\n");
        }
        Fixtures.write(repo.resolve("data/same.txt"), "file 0\n"); // one object, two paths
        Files.write(repo.resolve("data/large.bin"), new byte[200_000]);
        Fixtures.write(repo.resolve("single.txt"), "single\n");
        reprise(repo, "add", "data", "single.txt").ok();
        reprise(repo, "remote", "add", "-d", "store", "../remote").ok();
        reprise(repo, "push").ok();
        Map<String, String> pushed = Fixtures.contents(repo.resolve("data"));
        DvcInteropTest.deleteTree(repo.resolve(".dvc/cache"));
        DvcInteropTest.deleteTree(repo.resolve("data"));
        Files.delete(repo.resolve("single.txt"));
        assertThat(pushed).hasSize(42);
        return tmp.resolve("remote/files/md5");
    }

    @Test
    void pullIntoAnEmptiedWorkspaceGivesWritableCopiesThatStatusTrusts() throws IOException {
        Path remote = pushedAndEmptied();
        Tools.Result r = reprise(repo, "pull").ok();
        assertThat(r.out()).contains("A\tdata/\n").contains("A\tsingle.txt\n");
        Map<String, String> pulled = Fixtures.contents(repo.resolve("data"));
        assertThat(pulled).hasSize(42).containsEntry("sub1/f5.txt", "file 5\n").containsEntry("same.txt", "file 0\n");
        assertThat(Files.size(repo.resolve("data/large.bin"))).isEqualTo(200_000);
        assertThat(Fixtures.read(repo.resolve("single.txt"))).isEqualTo("single\n");
        // Copies (cache.type default): writable, not the read-only object.
        Path f = repo.resolve("data/sub1/f5.txt");
        assertThat(Files.isWritable(f)).isTrue();
        Path obj = repo.resolve(".dvc/cache/files/md5").resolve(Oids.relativePath(Md5.of(Files.readAllBytes(f))));
        assertThat(Files.isSameFile(f, obj)).isFalse();
        assertThat(tmpFiles(repo.resolve("data"))).isEmpty();
        assertThat(tmpFiles(repo.resolve(".dvc/cache"))).isEmpty();
        // The state knows the files pulled: status is clean, and so is dvc's view.
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(repo, "checkout").ok().out()).isEmpty();
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(remote).exists();
    }

    @Test
    void pullLeavesAnOutputAbsentWhenTheRemoteLacksOneOfItsObjects() throws IOException {
        Path remote = pushedAndEmptied();
        Files.delete(remote.resolve(Oids.relativePath(Md5.of("file 7\n".getBytes(StandardCharsets.UTF_8)))));

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("data");
        // As a fetch then a checkout would leave it: the folder not checked out at all, the other
        // output checked out, what could be fetched in the cache.
        assertThat(repo.resolve("data")).doesNotExist();
        assertThat(Fixtures.read(repo.resolve("single.txt"))).isEqualTo("single\n");
        Path cached = repo.resolve(".dvc/cache/files/md5")
                .resolve(Oids.relativePath(Md5.of("file 5\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(cached).exists();
    }

    @Test
    void pullWritesNothingOfAFolderWithACorruptedObject() throws IOException {
        Path remote = pushedAndEmptied();
        Path bad = remote.resolve(Oids.relativePath(Md5.of("file 33\n".getBytes(StandardCharsets.UTF_8))));
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(bad, "file 34\n");

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is corrupted");
        // Files already written from good objects are removed again, the bad one never written.
        assertThat(repo.resolve("data")).doesNotExist();
        assertThat(repo.resolve("single.txt")).doesNotExist();
        assertThat(tmpFiles(repo.resolve(".dvc/cache"))).isEmpty();
        assertThat(repo.resolve(".dvc/cache/files/md5")
                        .resolve(Oids.relativePath(Md5.of("file 33\n".getBytes(StandardCharsets.UTF_8)))))
                .doesNotExist();
    }

    @Test
    void pullRefusesARemoteManifestThatDoesNotMatchItsName() throws IOException {
        Path remote = pushedAndEmptied();
        String dirOid = Fixtures.read(repo.resolve("data.dvc")).replaceAll("(?s).*md5: (\\w+\\.dir).*", "$1");
        Path manifest = remote.resolve(Oids.relativePath(dirOid));
        Files.setPosixFilePermissions(manifest, PosixFilePermissions.fromString("rw-r--r--"));
        // Still a valid manifest, one file less: only its name shows it is not the one pushed.
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replaceFirst("\\{[^}]*\"relpath\": \"large.bin\"\\}, ", ""));
        assertThat(Files.readString(manifest)).isNotEqualTo(json);

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Directory object " + dirOid + " on the remote is corrupted");
        assertThat(repo.resolve("data")).doesNotExist();
    }

    @Test
    void pullFetchesEverythingEvenWhenTheWorkspaceCannotBeWritten() throws IOException {
        for (int i = 0; i < 40; i++) {
            Fixtures.write(repo.resolve("nested/data/f" + i + ".txt"), "nested " + i + "\n");
        }
        reprise(repo, "add", "nested/data").ok();
        reprise(repo, "remote", "add", "-d", "store", "../remote").ok();
        reprise(repo, "push").ok();
        // The same output tracked from the top (path nested/data), and a file where its parent was.
        String dvcFile = Fixtures.read(repo.resolve("nested/data.dvc"));
        Fixtures.write(repo.resolve("nested-data.dvc"), dvcFile.replace("path: data", "path: nested/data"));
        DvcInteropTest.deleteTree(repo.resolve(".dvc/cache"));
        DvcInteropTest.deleteTree(repo.resolve("nested"));
        Fixtures.write(repo.resolve("nested"), "a file where the output's folder should be\n");

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("Cannot check out nested/data");
        // The fetch went on: every object is in the cache, and the workspace is as it was.
        Path objects = repo.resolve(".dvc/cache/files/md5");
        for (int i = 0; i < 40; i++) {
            String oid = Md5.of(("nested " + i + "\n").getBytes(StandardCharsets.UTF_8));
            assertThat(objects.resolve(Oids.relativePath(oid))).exists();
        }
        assertThat(Fixtures.read(repo.resolve("nested"))).startsWith("a file");
    }

    @Test
    void pullKeepsAnUnsavedEditInAWorkspaceFolderThatExists() throws IOException {
        pushedAndEmptied();
        Fixtures.write(repo.resolve("data/sub1/f5.txt"), "unsaved edit\n");

        Tools.Result r = reprise(repo, "pull");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unsaved files").contains("data/sub1/f5.txt");
        assertThat(Fixtures.read(repo.resolve("data/sub1/f5.txt"))).isEqualTo("unsaved edit\n");
        assertThat(Fixtures.contents(repo.resolve("data"))).hasSize(1);
        assertThat(Fixtures.read(repo.resolve("single.txt"))).isEqualTo("single\n"); // the safe output
    }

    @Test
    void pullWithHardlinksLinksTheWorkspaceToTheCache() throws IOException {
        pushedAndEmptied();
        Fixtures.write(
                repo.resolve(".dvc/config"),
                Fixtures.read(repo.resolve(".dvc/config")) + "[cache]\n    type = hardlink\n");
        reprise(repo, "pull").ok();
        Path f = repo.resolve("data/sub1/f5.txt");
        Path obj = repo.resolve(".dvc/cache/files/md5").resolve(Oids.relativePath(Md5.of(Files.readAllBytes(f))));
        assertThat(Files.isSameFile(f, obj)).isTrue();
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void cloudStatusNamesWhatIsOnlyOnOneSide() throws IOException {
        Fixtures.write(repo.resolve("a.txt"), "a\n");
        Fixtures.write(repo.resolve("b.txt"), "b\n");
        reprise(repo, "add", "a.txt", "b.txt").ok();
        reprise(repo, "remote", "add", "-d", "store", tmp.resolve("remote").toString())
                .ok();
        reprise(repo, "push", "a.txt").ok();
        Files.delete(repo.resolve(".dvc/cache/files/md5")
                .resolve(Oids.relativePath(Md5.of("a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        String ours = reprise(repo, "status", "-c").ok().out();
        assertThat(ours).isEqualTo("\tdeleted:            a.txt\n\tnew:                b.txt\n");
        // dvc lists the same lines (in set order)
        assertThat(dvc(repo, "status", "-c").ok().out().lines().sorted().toList())
                .isEqualTo(ours.lines().sorted().toList());
        reprise(repo, "push").ok();
        reprise(repo, "fetch").ok();
        assertThat(reprise(repo, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 'store' are in sync.");
        assertThat(tmpFiles(tmp.resolve("remote"))).isEmpty();
        assertThat(tmpFiles(repo.resolve(".dvc/cache"))).isEmpty();
    }

    @Test
    void addRefusesWhatItMustNotTrack() throws IOException {
        Fixtures.write(repo.resolve("data/a.txt"), "a\n");
        Fixtures.write(repo.resolve("tracked.txt"), "in git\n");
        Fixtures.write(repo.resolve("scratch.tmp"), "ignored\n");
        Fixtures.write(repo.resolve(".dvcignore"), "*.tmp\n");
        git(repo, "add", "tracked.txt").ok();
        reprise(repo, "add", "data").ok();

        assertThat(reprise(repo, "add", "data/a.txt").err()).contains("overlapping with other DVC tracked output");
        assertThat(reprise(repo, "add", "tracked.txt").err()).contains("already tracked by git");
        assertThat(reprise(repo, "add", "scratch.tmp").err()).contains("ignored by .dvcignore");
        assertThat(reprise(repo, "add", "nope").err()).contains("'nope' does not exist");
        assertThat(reprise(repo, "add", "data.dvc").err()).contains("is a .dvc file");
        Tools.Result outside = reprise(repo, "add", "../elsewhere");
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.err()).startsWith("reprise data add: ").contains("outside the repository");
    }

    private static java.util.List<Path> tmpFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
