package io.reprise.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the work tree has beyond its commit: the uncommitted diff of tracked files and the untracked,
 * non-ignored files. {@code reprise verify} carries both into each clean checkout, and says so.
 */
record Changes(Path root, String diff, List<String> changedFiles, List<String> untracked) {

    static Changes of(Path root) {
        Proc.Result diff = Proc.git(root, "diff", "HEAD", "--binary");
        Proc.Result names = Proc.git(root, "diff", "HEAD", "--name-only", "-z");
        Proc.Result others = Proc.git(root, "ls-files", "--others", "--exclude-standard", "-z");
        if (!diff.ok() || !names.ok() || !others.ok()) {
            throw new Failed(
                    "cannot read the work tree's changes: " + diff.reason() + names.reason() + others.reason());
        }
        return new Changes(root, diff.output(), paths(names.output()), paths(others.output()));
    }

    private static List<String> paths(String nulSeparated) {
        return java.util.Arrays.stream(nulSeparated.split("\0", -1))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        if (!changedFiles.isEmpty()) {
            out.add("the work tree has uncommitted changes: each run gets them (" + String.join(", ", changedFiles)
                    + ")");
        }
        if (!untracked.isEmpty()) {
            out.add("untracked files are copied into each run: " + String.join(", ", untracked));
        }
        return out;
    }

    void applyTo(Workspace ws) {
        if (!diff.isEmpty()) {
            ws.applyDiff(diff.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String path : untracked) {
            try {
                Path source = root.resolve(path);
                if (Files.isRegularFile(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    ws.write(path, Files.readAllBytes(source));
                }
            } catch (IOException e) {
                throw new Failed("cannot copy untracked file " + path + ": " + e.getMessage());
            }
        }
    }
}
