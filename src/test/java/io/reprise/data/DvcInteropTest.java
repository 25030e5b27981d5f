package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reprise and the real dvc 3.x on the same repositories, in both directions. */
class DvcInteropTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @TempDir
    Path tmp;

    private static List<String> outputs() {
        List<String> outs = new ArrayList<>(List.of(Fixtures.FILE_OUTPUTS));
        outs.add("data");
        outs.add("emptydir");
        return outs;
    }

    private Path gitRepo(String name) {
        Path dir = tmp.resolve(name);
        Fixtures.mkdirs(dir);
        git(dir, "init", "-q").ok();
        return dir;
    }

    private static String[] withArgs(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    @Test
    void initCreatesWhatDvcInitCreates() {
        Path byDvc = gitRepo("dvc");
        Path byReprise = gitRepo("reprise");
        dvc(byDvc, "init", "-q").ok();
        reprise(byReprise, "init").ok();
        for (String f : List.of(".dvc/config", ".dvc/.gitignore", ".dvcignore")) {
            assertThat(Fixtures.read(byReprise.resolve(f))).as(f).isEqualTo(Fixtures.read(byDvc.resolve(f)));
        }
        assertThat(git(byReprise, "status", "--porcelain").ok().out())
                .isEqualTo(git(byDvc, "status", "--porcelain").ok().out())
                .contains("A  .dvc/config");

        Path noScmDvc = tmp.resolve("noscm-dvc");
        Path noScmReprise = tmp.resolve("noscm-reprise");
        Fixtures.mkdirs(noScmDvc);
        Fixtures.mkdirs(noScmReprise);
        dvc(noScmDvc, "init", "--no-scm", "-q").ok();
        reprise(noScmReprise, "init", "--no-scm").ok();
        assertThat(Fixtures.read(noScmReprise.resolve(".dvc/config")))
                .isEqualTo(Fixtures.read(noScmDvc.resolve(".dvc/config")))
                .isEqualTo("[core]\n    no_scm = True\n");
        assertThat(noScmReprise.resolve(".dvc/.gitignore")).doesNotExist();
    }

    @Test
    void initOutsideGitSaysWhatToDo() {
        Path dir = tmp.resolve("plain");
        Fixtures.mkdirs(dir);
        Tools.Result r = reprise(dir, "init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is not tracked by any supported SCM tool").contains("--no-scm");
    }

    @Test
    void addWritesByteForByteWhatDvcAddWrites() throws IOException {
        Path byDvc = gitRepo("dvc");
        Path byReprise = gitRepo("reprise");
        dvc(byDvc, "init", "-q").ok();
        reprise(byReprise, "init").ok();
        Fixtures.create(byDvc);
        Fixtures.create(byReprise);

        dvc(byDvc, withArgs("add", outputs())).ok();
        Tools.Result r = reprise(byReprise, withArgs("add", outputs())).ok();

        assertThat(r.out()).contains("git add").contains("data.dvc");
        for (String out : outputs()) {
            String dvcFile = out + ".dvc";
            assertThat(Fixtures.read(byReprise.resolve(dvcFile)))
                    .as(dvcFile)
                    .isEqualTo(Fixtures.read(byDvc.resolve(dvcFile)));
        }
        assertThat(Fixtures.read(byReprise.resolve(".gitignore")))
                .isEqualTo(Fixtures.read(byDvc.resolve(".gitignore")))
                .contains("/\\[br\\]\\*\\?\\!.bin\n");
        Map<String, String> cache = Fixtures.contents(byReprise.resolve(".dvc/cache"));
        assertThat(cache).isEqualTo(Fixtures.contents(byDvc.resolve(".dvc/cache")));
        assertThat(cache.keySet()).anyMatch(k -> k.endsWith(".dir"));
        assertReadOnly(byReprise.resolve(".dvc/cache"));
        // The tricky names really reached the YAML: quoting and folding as ruamel.yaml does it.
        assertThat(Fixtures.read(byReprise.resolve("123.dvc"))).contains("path: '123'\n");
        assertThat(Fixtures.read(byReprise.resolve("true.dvc"))).contains("path: 'true'\n");
        assertThat(Fixtures.read(byReprise.resolve("run.sh.dvc"))).contains("isexec: true\n");
        assertThat(Fixtures.read(byReprise.resolve("emptydir.dvc"))).contains("nfiles: 0\n");
        // and dvc reads what reprise wrote as its own
        assertThat(dvc(byReprise, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void reAddingChangedDataUpdatesDvcFilesAsDvcDoes() {
        Path byDvc = gitRepo("dvc");
        Path byReprise = gitRepo("reprise");
        for (Path dir : List.of(byDvc, byReprise)) {
            dvc(dir, "init", "-q").ok();
            Fixtures.create(dir);
            dvc(dir, "add", "data", "plain.csv", "run.sh").ok();
            // users annotate .dvc files; DVC keeps these keys where they are on update
            String annotated = Fixtures.read(dir.resolve("plain.csv.dvc"))
                    .replace("  size:", "  desc: kept\n  size:")
                    .replace("  hash: md5\n", "");
            Fixtures.write(
                    dir.resolve("plain.csv.dvc"),
                    "desc: the plain one\n" + annotated + "meta:\n  owner: team\n  tags: [a, b]\n");
            Fixtures.write(dir.resolve("data/a.csv"), "changed\n");
            Fixtures.write(dir.resolve("data/new file.txt"), "new\n");
            Fixtures.write(dir.resolve("plain.csv"), "changed too\n");
            Fixtures.exec(dir.resolve("plain.csv"));
            Fixtures.write(dir.resolve("run.sh"), "#!/bin/sh\n");
        }
        dvc(byDvc, "add", "data", "plain.csv", "run.sh").ok();
        reprise(byReprise, "add", "data", "plain.csv", "run.sh").ok();
        for (String f : List.of("data.dvc", "plain.csv.dvc", "run.sh.dvc", ".gitignore")) {
            assertThat(Fixtures.read(byReprise.resolve(f))).as(f).isEqualTo(Fixtures.read(byDvc.resolve(f)));
        }
        assertThat(Fixtures.contents(byReprise.resolve(".dvc/cache")))
                .isEqualTo(Fixtures.contents(byDvc.resolve(".dvc/cache")));
    }

    @Test
    void dataAddedAndPushedByDvcIsCleanAndPullableWithReprise() throws IOException {
        Path origin = gitRepo("origin");
        Path remote = tmp.resolve("remote");
        dvc(origin, "init", "-q").ok();
        Fixtures.create(origin);
        dvc(origin, withArgs("add", outputs())).ok();
        dvc(origin, "remote", "add", "-d", "store", remote.toString()).ok();
        dvc(origin, "push").ok();
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "data").ok();
        Map<String, String> expected = Fixtures.snapshot(origin);

        assertThat(reprise(origin, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(origin, "status", "-c").ok().out().strip())
                .isEqualTo("Cache and remote 'store' are in sync.");

        deleteTree(origin.resolve("data"));
        Files.delete(origin.resolve("run.sh"));
        Tools.Result co = reprise(origin, "checkout").ok();
        assertThat(co.out()).contains("A\tdata/\n").contains("A\trun.sh\n");
        assertThat(Fixtures.snapshot(origin, "emptydir")).isEqualTo(expected);

        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", origin.toString(), clone.toString()).ok();
        Tools.Result pull = reprise(clone, "pull").ok();
        assertThat(pull.out()).contains("files fetched");
        assertThat(Fixtures.snapshot(clone)).isEqualTo(expected);
        assertThat(reprise(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(Fixtures.contents(clone.resolve(".dvc/cache")))
                .isEqualTo(Fixtures.contents(origin.resolve(".dvc/cache")));
    }

    @Test
    void dataAddedAndPushedByRepriseIsCleanAndPullableWithDvc() {
        Path origin = gitRepo("origin");
        Path remote = tmp.resolve("remote");
        reprise(origin, "init").ok();
        Fixtures.create(origin);
        reprise(origin, withArgs("add", outputs())).ok();
        reprise(origin, "remote", "add", "-d", "store", remote.toString()).ok();
        assertThat(reprise(origin, "push").ok().out()).contains("files pushed");
        assertThat(reprise(origin, "push").ok().out().strip()).isEqualTo("Everything is up to date.");
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "data").ok();
        Map<String, String> expected = Fixtures.snapshot(origin);

        assertThat(dvc(origin, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 'store' are in sync.");
        assertThat(dvc(origin, "push").ok().out().strip()).isEqualTo("Everything is up to date.");

        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", origin.toString(), clone.toString()).ok();
        dvc(clone, "pull").ok();
        assertThat(Fixtures.snapshot(clone)).isEqualTo(expected);
        assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(reprise(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    @Test
    void remoteConfigIsWrittenAsDvcWritesIt() {
        Path byDvc = gitRepo("dvc");
        Path byReprise = gitRepo("reprise");
        Fixtures.mkdirs(byDvc.resolve("sub"));
        Fixtures.mkdirs(byReprise.resolve("sub"));
        dvc(byDvc, "init", "-q").ok();
        reprise(byReprise, "init").ok();
        Fixtures.write(byDvc.resolve(".dvc/config"), "[cache]\n    type = hardlink,copy\n");
        Fixtures.write(byReprise.resolve(".dvc/config"), "[cache]\n    type = hardlink,copy\n");
        List<List<String>> steps = List.of(
                List.of("remote", "add", "first", "/tmp/with space/x#y"),
                List.of("remote", "add", "-d", "second", "../relative/store"),
                List.of("remote", "add", "third", "/tmp/a,b"),
                List.of("remote", "default", "third"),
                List.of("remote", "remove", "third"),
                List.of("remote", "add", "-f", "first", "/elsewhere"));
        for (List<String> step : steps) {
            dvc(byDvc.resolve("sub"), step.toArray(String[]::new)).ok();
            reprise(byReprise.resolve("sub"), step.toArray(String[]::new)).ok();
            assertThat(Fixtures.read(byReprise.resolve(".dvc/config")))
                    .as("after %s", step)
                    .isEqualTo(Fixtures.read(byDvc.resolve(".dvc/config")));
        }
        assertThat(reprise(byReprise, "remote", "list").ok().out())
                .isEqualTo(dvc(byDvc, "remote", "list").ok().out().replace(byDvc.toString(), byReprise.toString()));
    }

    static void assertReadOnly(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                        .as(p.toString())
                        .isEqualTo("r--r--r--");
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
