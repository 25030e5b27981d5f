package io.reprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real git repository in a test directory, driven through the git CLI. */
public final class GitRepo {
    private final Path dir;

    private GitRepo(Path dir) {
        this.dir = dir;
    }

    /** A new repository on branch main, with a committer identity. */
    public static GitRepo init(Path dir) {
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        return repo.withIdentity();
    }

    /** A clone of {@code source} (a path or URL) into {@code dir}, with a committer identity. */
    public static GitRepo cloneOf(String source, Path dir) {
        run(
                dir.getParent(),
                List.of("git", "clone", "-q", source, dir.getFileName().toString()));
        return new GitRepo(dir).withIdentity();
    }

    /** An existing repository. */
    public static GitRepo open(Path dir) {
        return new GitRepo(dir);
    }

    private GitRepo withIdentity() {
        git("config", "user.email", "test@example.com");
        git("config", "user.name", "Test");
        git("config", "commit.gpgsign", "false");
        return this;
    }

    public Path dir() {
        return dir;
    }

    public GitRepo write(String path, String content) {
        try {
            Path p = dir.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes each path -> content of {@code files}. */
    public GitRepo write(Map<String, String> files) {
        files.forEach(this::write);
        return this;
    }

    public GitRepo commitAll(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    public String head() {
        return git("rev-parse", "HEAD").strip();
    }

    /** Runs git in the repository and returns its stdout; fails the test on a non-zero exit. */
    public String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, cmd);
    }

    public static String run(Path dir, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "HOME", dir.toString()));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(cmd + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
