package io.reprise.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real git repository in a test folder, driven through the git CLI. */
record Git(Path dir) {
    static Git init(Path dir) {
        Git g = new Git(dir);
        g.git("init", "-q", "-b", "main");
        g.identity();
        return g;
    }

    static Git cloneOf(String source, Path dir) {
        run(
                dir.getParent(),
                List.of("git", "clone", "-q", source, dir.getFileName().toString()));
        Git g = new Git(dir);
        g.identity();
        return g;
    }

    private void identity() {
        git("config", "user.email", "test@example.com");
        git("config", "user.name", "Test");
        git("config", "commit.gpgsign", "false");
    }

    Git write(String path, String content) {
        try {
            Path p = dir.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Git commitAll(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    String head() {
        return git("rev-parse", "HEAD").strip();
    }

    String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, cmd);
    }

    static String run(Path dir, List<String> cmd) {
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
