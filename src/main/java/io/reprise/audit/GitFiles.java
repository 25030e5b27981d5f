package io.reprise.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The git calls the audit makes: which files belong to the project and how big the committed ones are. */
final class GitFiles {
    private GitFiles() {}

    /** The top of the work tree containing {@code dir}. */
    static Path root(Path dir) {
        String out = git(dir, null, "rev-parse", "--show-toplevel").strip();
        return Path.of(out);
    }

    /**
     * Files under {@code dir} that git tracks or would track (untracked but not ignored), relative to
     * {@code dir} with forward slashes. Ignored files (virtualenvs, data pulled by DVC) are not the project's.
     */
    static List<String> files(Path dir) {
        String out = git(dir, null, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        List<String> files = new ArrayList<>();
        for (String f : out.split("\0", -1)) {
            if (!f.isEmpty() && !files.contains(f)) {
                files.add(f);
            }
        }
        return files;
    }

    /** Size in bytes of every file committed to the index under {@code dir} (path relative to dir). */
    static Map<String, Long> committedSizes(Path dir) {
        String staged = git(dir, null, "ls-files", "-z", "-s");
        Map<String, String> blobs = new LinkedHashMap<>();
        for (String entry : staged.split("\0", -1)) {
            int tab = entry.indexOf('\t');
            if (tab > 0) {
                String[] meta = entry.substring(0, tab).split(" ", -1);
                if (meta.length >= 2 && !meta[0].equals("160000")) { // 160000: a submodule, not a blob
                    blobs.put(entry.substring(tab + 1), meta[1]);
                }
            }
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (blobs.isEmpty()) {
            return sizes;
        }
        String input = String.join("\n", blobs.values()) + "\n";
        String[] lines =
                git(dir, input, "cat-file", "--batch-check=%(objectsize)").split("\n", -1);
        int i = 0;
        for (String path : blobs.keySet()) {
            if (i < lines.length && lines[i].strip().matches("\\d+")) {
                sizes.put(path, Long.parseLong(lines[i].strip()));
            }
            i++;
        }
        return sizes;
    }

    private static String git(Path dir, String input, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=off"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new AuditException(
                    "cannot run git: " + e.getMessage(), "install git; the audit reads the repository with it");
        }
        try {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AuditException(
                        "git " + args[0] + " did not finish in 60 s", "check the repository with git status");
            }
            if (p.exitValue() != 0) {
                String message = new String(err.join(), StandardCharsets.UTF_8).strip();
                if (message.contains("not a git repository")) {
                    throw new AuditException(
                            dir + " is not inside a git repository",
                            "run the audit in a git work tree (or 'git init' it first); it reads what git tracks");
                }
                throw new AuditException(
                        "git " + args[0] + " failed: "
                                + message.lines().findFirst().orElse(""),
                        "check the repository with git status");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditException(
                    "git " + args[0] + " failed: " + e.getMessage(), "check the repository with git status");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted", "run the audit again");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in;
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
