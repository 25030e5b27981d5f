package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.testing.GitRepo;
import io.reprise.testing.RepriseCli;
import io.reprise.testing.ServerRuns;
import io.reprise.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code reprise run} records about the code: git commit, branch, remote, diff, untracked files. */
class RunGitTest extends ServerFixture {

    @Test
    void cleanTreeRecordsCommitBranchAndRemoteWithoutCredentials() {
        GitRepo repo = GitRepo.init(project).write("train.sh", "echo hi\n").commitAll("init");
        repo.git("remote", "add", "origin", "https://alice:ghp_s3cr3t@github.com/acme/model.git");

        RepriseCli.Result r = reprise().run("run", "--", "sh", "train.sh");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.tags())
                .containsEntry("mlflow.source.git.commit", repo.head())
                .containsEntry("mlflow.source.git.branch", "main")
                .containsEntry("mlflow.source.git.repoURL", "https://github.com/acme/model.git")
                .containsEntry("mlflow.source.type", "LOCAL")
                .containsEntry("reprise.git.dirty", "false")
                .containsEntry("reprise.command", "sh train.sh")
                .containsEntry("reprise.workdir", ".");
        assertThat(run.artifact("reprise/git/diff.patch")).isNull();
        assertThat(run.manifest().path("git").path("untracked")).isEmpty();
    }

    @Test
    void dirtyTreeLogsADiffThatRecreatesTheWorkTreeOnTheCommit() throws Exception {
        GitRepo repo = GitRepo.init(project)
                .write("train.py", "lr = 0.1\n")
                .write(".gitignore", "*.ckpt\n")
                .commitAll("init");
        repo.write("train.py", "lr = 0.2\nepochs = 3\n").write("notes.md", "try lr 0.2\n");
        repo.write("model.ckpt", "ignored weights");
        repo.git("add", "train.py"); // staged changes count too
        repo.write("train.py", "lr = 0.2\nepochs = 4\n");

        RepriseCli.Result r = reprise().run("run", "--", "true");

        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.tags()).containsEntry("reprise.git.dirty", "true").containsEntry("reprise.git.untracked", "1");
        String diff = run.artifact("reprise/git/diff.patch");
        assertThat(diff).contains("-lr = 0.1", "+lr = 0.2", "+epochs = 4");
        Path clone = tmp.resolve("clone");
        GitRepo.run(tmp, List.of("git", "clone", "-q", project.toString(), clone.toString()));
        Files.writeString(tmp.resolve("diff.patch"), diff);
        GitRepo.run(clone, List.of("git", "apply", tmp.resolve("diff.patch").toString()));
        assertThat(clone.resolve("train.py")).hasContent("lr = 0.2\nepochs = 4\n");

        JsonNode untracked = run.manifest().path("git").path("untracked");
        assertThat(untracked).hasSize(1);
        assertThat(untracked.get(0).path("path").asText()).isEqualTo("notes.md");
        assertThat(untracked.get(0).path("saved").asBoolean()).isTrue();
        assertThat(run.artifact("reprise/untracked/notes.md")).isEqualTo("try lr 0.2\n");
        assertThat(run.manifest().path("git").path("changed_files").toString()).contains("train.py");
    }

    @Test
    void detachedHeadHasACommitButNoBranch() {
        GitRepo repo = GitRepo.init(project).write("a.txt", "1\n").commitAll("one");
        String first = repo.head();
        repo.write("a.txt", "2\n").commitAll("two");
        repo.git("checkout", "-q", "--detach", first);

        ServerRuns.RecordedRun run = recorded(reprise().run("run", "--", "true"));

        assertThat(run.tags())
                .containsEntry("mlflow.source.git.commit", first)
                .containsEntry("reprise.git.detached", "true")
                .doesNotContainKey("mlflow.source.git.branch");
        assertThat(run.manifest().path("git").path("detached").asBoolean()).isTrue();
    }

    @Test
    void workingDirectoryIsRecordedRelativeToTheRepositoryRoot() throws Exception {
        GitRepo.init(project).write("src/job/run.sh", "true\n").commitAll("init");

        ServerRuns.RecordedRun run =
                recorded(reprise(project.resolve("src/job")).run("run", "--", "sh", "run.sh"));

        assertThat(run.tags()).containsEntry("reprise.workdir", "src/job");
        assertThat(run.manifest().path("command").path("workdir_in_repo").asText())
                .isEqualTo("src/job");
    }

    @Test
    void outsideGitTheRunIsStillRecordedWithAWarning() {
        RepriseCli.Result r = reprise().run("run", "--", "sh", "-c", "echo done");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("done\n");
        ServerRuns.RecordedRun run = recorded(r);
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.tags()).doesNotContainKeys("mlflow.source.git.commit", "reprise.git.dirty");
        JsonNode manifest = run.manifest();
        assertThat(manifest.has("git")).isFalse();
        assertThat(manifest.path("warnings").toString()).contains("no git work tree");
        assertThat(run.artifact("reprise/output.log")).isEqualTo("done\n");
    }

    @Test
    void aServerPolicyRequiringTheCommitAtStartAcceptsTheRunAndRefusesOneOutsideGit() throws Exception {
        server.close();
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                version: 1
                rules:
                  - name: team
                    experiments: "*"
                    mode: enforce
                    require:
                      tags:
                        - key: mlflow.source.git.commit
                          regex: "[0-9a-f]{40}"
                          at: start
                """);
        server = TestServer.withPolicy(Files.createDirectories(tmp.resolve("policed")), policy);
        GitRepo repo = GitRepo.init(project).write("train.sh", "echo hi\n").commitAll("init");

        RepriseCli.Result clean = reprise().run("run", "--", "sh", "train.sh");

        assertThat(clean.exitCode()).as(clean.stderr()).isZero();
        assertThat(recorded(clean).tags()).containsEntry("mlflow.source.git.commit", repo.head());

        Path noGit = Files.createDirectories(tmp.resolve("no-git"));
        Files.writeString(noGit.resolve("marker.sh"), "touch ran\n");
        RepriseCli.Result refused = reprise(noGit).run("run", "--", "sh", "marker.sh");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
                .contains("refused the run")
                .contains("mlflow.source.git.commit")
                .contains("the command was not run");
        assertThat(noGit.resolve("ran")).doesNotExist();
    }
}
