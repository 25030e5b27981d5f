package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git state `reprise run` reads before its command line is parsed is used only where it applies. */
class EarlyStartTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = System.getenv();

    @Test
    void theRunInTheSameDirectoryAndEnvironmentTakesTheEarlyStateOnce() throws Exception {
        GitRepo repo = GitRepo.init(Files.createDirectories(tmp.resolve("repo")))
                .write("train.py", "print(1)\n")
                .commitAll("first");
        repo.write("train.py", "print(2)\n");
        Path dir = repo.dir().toRealPath();

        EarlyStart.begin(dir, env);

        GitState state = EarlyStart.gitState(dir, env).orElseThrow();
        assertThat(state.commit()).isEqualTo(repo.head());
        assertThat(state.dirty()).isTrue();
        assertThat(state.diff()).contains("+print(2)");
        assertThat(EarlyStart.gitState(dir, env)).as("taken once").isEmpty();
    }

    @Test
    void anotherDirectoryOrEnvironmentReadsItsOwn() throws Exception {
        GitRepo repo = GitRepo.init(Files.createDirectories(tmp.resolve("repo")))
                .write("a.txt", "a\n")
                .commitAll("first");
        Path dir = repo.dir().toRealPath();
        Path other = Files.createDirectories(tmp.resolve("other")).toRealPath();
        Map<String, String> venv = new HashMap<>(env);
        venv.put("VIRTUAL_ENV", tmp.resolve("venv").toString()); // what an MLproject's python_env adds

        EarlyStart.begin(dir, env);
        assertThat(EarlyStart.gitState(other, env)).isEmpty();
        assertThat(EarlyStart.gitState(dir, venv)).isEmpty();
    }

    @Test
    void outsideGitTheProbesAnswerReachesTheRun() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain")).toRealPath();

        EarlyStart.begin(plain, env);

        assertThatThrownBy(() -> EarlyStart.gitState(plain, env))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("no git work tree");
    }
}
