package io.reprise.data;

import static io.reprise.data.Tools.dvc;
import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise data diff} prints what {@code dvc diff} prints, text and JSON, on the same repository. */
class DataDiffTest {
    @TempDir
    Path tmp;

    /** v1 committed; v2 committed with files modified, added, deleted and renamed; v3 in the workspace. */
    private Path history() throws IOException {
        Path dir = tmp.resolve("repo");
        Fixtures.mkdirs(dir);
        git(dir, "init", "-q").ok();
        dvc(dir, "init", "-q").ok();
        Fixtures.create(dir);
        Fixtures.write(dir.resolve("gone.txt"), "an output that goes away\n");
        Fixtures.write(dir.resolve("moved.txt"), "an output that moves\n");
        dvc(dir, "add", "data", "plain.csv", "é 😀 naïve.txt", "gone.txt", "moved.txt")
                .ok();
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-qm", "v1").ok();

        Fixtures.write(dir.resolve("data/a.csv"), "x,y\n3,4\n");
        Fixtures.write(dir.resolve("data/nested/new 😀.txt"), "added\n");
        Files.delete(dir.resolve("data/Z.txt"));
        Files.move(dir.resolve("data/é.txt"), dir.resolve("data/nested/renamed é.txt"));
        Fixtures.write(dir.resolve("plain.csv"), "plain v2\n");
        Fixtures.write(dir.resolve("new output.txt"), "a new output\n");
        dvc(dir, "remove", "gone.txt.dvc").ok();
        Files.delete(dir.resolve("gone.txt"));
        dvc(dir, "remove", "moved.txt.dvc").ok();
        Files.move(dir.resolve("moved.txt"), dir.resolve("moved here.txt"));
        dvc(dir, "add", "data", "plain.csv", "new output.txt", "moved here.txt").ok();
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-qm", "v2").ok();

        Fixtures.write(dir.resolve("plain.csv"), "plain v3, not added\n");
        Fixtures.write(dir.resolve("data/dup1"), "changed in the workspace\n");
        return dir;
    }

    @Test
    void printsWhatDvcDiffPrints() throws IOException {
        Path repo = history();
        List<List<String>> cases = List.of(
                List.of(),
                List.of("--json"),
                List.of("--json", "--show-hash"),
                List.of("--show-hash"),
                List.of("HEAD~1"),
                List.of("--json", "HEAD~1"),
                List.of("--json", "--show-hash", "HEAD~1", "HEAD"),
                List.of("HEAD~1", "HEAD"),
                List.of("--show-hash", "HEAD", "HEAD~1"),
                List.of("--json", "HEAD", "HEAD"),
                List.of("--json", "--targets", "data", "--", "HEAD~1"),
                List.of("--json", "--hide-missing", "HEAD~1"));
        for (List<String> args : cases) {
            String[] argv = withDiff(args);
            String expected = dvc(repo, argv).ok().out();
            assertThat(reprise(repo, argv).ok().out()).as("diff %s", args).isEqualTo(expected);
        }
        assertThat(dvc(repo, "diff", "--json", "HEAD~1").ok().out())
                .contains("\"renamed\": [{\"path\": {\"old\": \"data/\\u00e9.txt\"")
                .contains("{\"path\": {\"old\": \"moved.txt\", \"new\": \"moved here.txt\"}}");
    }

    @Test
    void listsCommittedDataMissingFromTheCache() throws IOException {
        Path repo = history();
        // drop the objects of plain.csv v2 and of the data/ manifest from the cache
        for (String name : List.of("plain.csv.dvc", "data.dvc")) {
            String md5 = Fixtures.read(repo.resolve(name)).replaceAll("(?s).*md5: (\\S+).*", "$1");
            Files.delete(repo.resolve(".dvc/cache/files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2)));
        }
        for (List<String> args : List.<List<String>>of(List.of("--json"), List.of(), List.of("--json", "HEAD~1"))) {
            String[] argv = withDiff(args);
            assertThat(reprise(repo, argv).ok().out())
                    .as("diff %s", args)
                    .isEqualTo(dvc(repo, argv).ok().out());
        }
        assertThat(reprise(repo, "diff", "--json").ok().out()).contains("\"not in cache\": [{\"path\": \"data/\"}");
    }

    @Test
    void badRevisionsAndNoCommits() {
        Path repo = tmp.resolve("empty");
        Fixtures.mkdirs(repo);
        git(repo, "init", "-q").ok();
        reprise(repo, "init").ok();
        assertThat(reprise(repo, "diff", "--json").ok().out())
                .isEqualTo(dvc(repo, "diff", "--json").ok().out());
        git(repo, "commit", "-qm", "init").ok();
        Tools.Result bad = reprise(repo, "diff", "no-such-rev");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip())
                .isEqualTo("reprise data diff: unknown Git revision 'no-such-rev'; name a commit," + " branch or tag.");
    }

    private static String[] withDiff(List<String> args) {
        List<String> all = new java.util.ArrayList<>(List.of("diff"));
        all.addAll(args);
        return all.toArray(String[]::new);
    }
}
