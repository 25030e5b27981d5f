package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository left by DVC 2.x: .dvc files with {@code md5:} and no {@code hash: md5}, objects in
 * {@code .dvc/cache/ab/cdef...} named by dvc-data's dos2unix md5. The fixture is made with dvc-data's
 * own 2.x hashing (the real code, from dvc's venv), so reprise is checked against it, not itself.
 */
class LegacyCacheTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    // Writes 2.x .dvc files and the 2.x cache for the files and folder already in the repo.
    private static final String MAKE_2X = """
            import json, os, shutil, sys
            from dvc_data.hashfile.hash import file_md5
            def md5(p): return file_md5(p, name="md5-dos2unix")
            def store(oid, src=None, data=None):
                d = os.path.join(".dvc", "cache", oid[:2]); os.makedirs(d, exist_ok=True)
                dst = os.path.join(d, oid[2:])
                if os.path.exists(dst): return
                if data is None: shutil.copyfile(src, dst)
                else: open(dst, "wb").write(data)
                os.chmod(dst, 0o444)
            for name in ["crlf.txt", "binary.bin"]:
                oid = md5(name); store(oid, src=name)
                open(name + ".dvc", "w").write(
                    f"outs:\\n- md5: {oid}\\n  size: {os.path.getsize(name)}\\n  path: {name}\\n")
            entries, size = [], 0
            for root, _, files in os.walk("data"):
                for f in files:
                    p = os.path.join(root, f); oid = md5(p); store(oid, src=p); size += os.path.getsize(p)
                    entries.append({"md5": oid, "relpath": os.path.relpath(p, "data")})
            body = json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True).encode()
            import hashlib; dir_oid = hashlib.md5(body).hexdigest() + ".dir"; store(dir_oid, data=body)
            open("data.dvc", "w").write(
                f"outs:\\n- md5: {dir_oid}\\n  size: {size}\\n  nfiles: {len(entries)}\\n  path: data\\n")
            store("0" * 32, data=b"an unused 2.x object")
            """;

    @TempDir
    Path tmp;

    private Path legacyRepo() throws IOException {
        return legacyRepo(tmp.resolve("repo"));
    }

    /** A git + dvc repository at {@code dir} whose entries and cache are in DVC 2.x's form, status-clean. */
    static Path legacyRepo(Path dir) throws IOException {
        Fixtures.mkdirs(dir);
        git(dir, "init", "-q").ok();
        dvc(dir, "init", "-q").ok();
        Fixtures.write(dir.resolve("crlf.txt"), "windows\r\nline endings\r\n");
        Files.write(dir.resolve("binary.bin"), new byte[] {0, 1, '\r', '\n', 2});
        Fixtures.write(dir.resolve("data/a.txt"), "a\r\nb\r\n");
        Fixtures.write(dir.resolve("data/sub/b.txt"), "plain\n");
        Fixtures.write(dir.resolve(".gitignore"), "/crlf.txt\n/binary.bin\n/data\n");
        Tools.python(dir, MAKE_2X, null).ok();
        assertThat(Fixtures.read(dir.resolve("crlf.txt.dvc"))).doesNotContain("hash:");
        // 2.x names text by its LF form: not the md5 of the bytes, which 3.x would record
        assertThat(Fixtures.read(dir.resolve("crlf.txt.dvc")))
                .contains("md5: " + Md5.of("windows\nline endings\n".getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Md5.of(Files.readAllBytes(dir.resolve("crlf.txt"))));
        assertThat(dvc(dir, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        return dir;
    }

    @Test
    void statusReadsTwoXHashes() throws IOException {
        Path repo = legacyRepo();
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        Fixtures.write(repo.resolve("crlf.txt"), "windows\r\nchanged\r\n");
        Fixtures.write(repo.resolve("data/sub/b.txt"), "changed\n");
        assertThat(reprise(repo, "status").ok().out())
                .isEqualTo(dvc(repo, "status").ok().out());
        assertThat(reprise(repo, "status").ok().out())
                .contains("modified:")
                .contains("crlf.txt")
                .contains("data");
    }

    @Test
    void addAndCommitKeepUnchangedTwoXEntriesAndUpgradeChangedOnesAsDvcDoes() throws IOException {
        Path byDvc = legacyRepo(tmp.resolve("by-dvc"));
        Path byReprise = legacyRepo(tmp.resolve("by-reprise"));
        for (Path repo : List.of(byDvc, byReprise)) {
            Fixtures.write(repo.resolve("binary.bin"), "changed: upgraded to 3.x\n");
        }
        dvc(byDvc, "add", "data", "crlf.txt", "binary.bin").ok();
        reprise(byReprise, "add", "data", "crlf.txt", "binary.bin").ok();
        dvc(byDvc, "commit", "-f").ok();
        reprise(byReprise, "commit", "-f").ok();
        for (String f : List.of("data.dvc", "crlf.txt.dvc", "binary.bin.dvc")) {
            assertThat(Fixtures.read(byReprise.resolve(f))).as(f).isEqualTo(Fixtures.read(byDvc.resolve(f)));
        }
        assertThat(Fixtures.read(byReprise.resolve("crlf.txt.dvc"))).doesNotContain("hash:");
        assertThat(Fixtures.read(byReprise.resolve("binary.bin.dvc"))).contains("hash: md5");
        assertThat(reprise(byReprise, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(byReprise, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void checkoutRestoresFromTheTwoXCache() throws IOException {
        Path repo = legacyRepo();
        Map<String, String> expected = Fixtures.snapshot(repo);
        DvcInteropTest.deleteTree(repo.resolve("data"));
        Files.delete(repo.resolve("crlf.txt"));
        Fixtures.write(repo.resolve("binary.bin"), "modified, and in no cache\n");
        Tools.Result r = reprise(repo, "checkout", "--force").ok();
        assertThat(r.out()).contains("A\tdata/").contains("A\tcrlf.txt").contains("M\tbinary.bin");
        assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);
        assertThat(Files.readString(repo.resolve("crlf.txt"))).isEqualTo("windows\r\nline endings\r\n");
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void gcKeepsUsedTwoXObjectsAndRemovesOthers() throws IOException {
        Path repo = legacyRepo();
        Map<String, String> before = Fixtures.contents(repo.resolve(".dvc/cache"));
        Tools.Result r = reprise(repo, "gc", "-w", "-f").ok();
        assertThat(r.out()).contains("Removed 1 objects from legacy cache.");
        Map<String, String> after = Fixtures.contents(repo.resolve(".dvc/cache"));
        assertThat(before.keySet()).contains("00/" + "0".repeat(30));
        assertThat(after.keySet()).doesNotContain("00/" + "0".repeat(30)).hasSize(before.size() - 1);
        DvcInteropTest.deleteTree(repo.resolve("data"));
        dvc(repo, "checkout").ok();
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void pushAndPullOfTwoXEntriesInteroperateWithDvc() throws IOException {
        Path repo = legacyRepo();
        Map<String, String> expected = Fixtures.snapshot(repo);
        Path byDvc = tmp.resolve("by-dvc");
        Path byReprise = tmp.resolve("by-reprise");
        dvc(repo, "remote", "add", "theirs", byDvc.toString()).ok();
        dvc(repo, "remote", "add", "ours", byReprise.toString()).ok();
        String ourStatus = reprise(repo, "status", "-c", "-r", "ours").ok().out();
        assertThat(ourStatus).contains("new:").contains("crlf.txt").contains("data/sub/b.txt");
        assertThat(ourStatus.lines().sorted().toList())
                .isEqualTo(dvc(repo, "status", "-c", "-r", "ours")
                        .ok()
                        .out()
                        .lines()
                        .sorted()
                        .toList());

        dvc(repo, "push", "-r", "theirs").ok();
        reprise(repo, "push", "-r", "ours").ok();
        // dvc 3 keeps 2.x objects in the remote's 2.x layout (no files/md5/): the same files both ways
        assertThat(Fixtures.contents(byReprise))
                .isEqualTo(Fixtures.contents(byDvc))
                .hasSize(5);
        assertThat(byDvc.resolve("files")).doesNotExist();
        assertThat(reprise(repo, "status", "-c", "-r", "ours").ok().out().strip())
                .isEqualTo("Cache and remote 'ours' are in sync.");

        clearData(repo);
        reprise(repo, "pull", "-r", "theirs").ok();
        assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);
        assertThat(Files.readString(repo.resolve("crlf.txt"))).isEqualTo("windows\r\nline endings\r\n");
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

        clearData(repo);
        dvc(repo, "pull", "-r", "ours").ok();
        assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);
        assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void aCorruptedTwoXObjectOnTheRemoteIsRefused() throws IOException {
        Path repo = legacyRepo();
        Path remote = tmp.resolve("remote");
        reprise(repo, "remote", "add", "-d", "store", remote.toString()).ok();
        reprise(repo, "push").ok();
        String oid = Md5.of("windows\nline endings\n".getBytes(StandardCharsets.UTF_8));
        Path object = remote.resolve(Oids.relativePath(oid));
        Files.setPosixFilePermissions(object, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(object, "windows\r\nline endingz\r\n");
        clearData(repo);

        Tools.Result r = reprise(repo, "pull", "crlf.txt.dvc");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Object " + oid).contains("is corrupted");
        assertThat(repo.resolve("crlf.txt")).doesNotExist();
        assertThat(repo.resolve(".dvc/cache").resolve(Oids.relativePath(oid))).doesNotExist();
    }

    // The workspace's tracked data and both caches gone, as in a fresh clone.
    static void clearData(Path repo) throws IOException {
        DvcInteropTest.deleteTree(repo.resolve(".dvc/cache"));
        DvcInteropTest.deleteTree(repo.resolve("data"));
        Files.delete(repo.resolve("crlf.txt"));
        Files.delete(repo.resolve("binary.bin"));
    }
}
