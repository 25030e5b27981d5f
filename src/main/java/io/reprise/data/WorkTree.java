package io.reprise.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the files of a directory output as DVC does: .dvcignore rules apply, links to files are
 * followed, links to folders and empty folders are skipped, and a .dvcignore inside is an error.
 */
final class WorkTree {
    private WorkTree() {}

    /**
     * @param dir the output folder
     * @param dirRel its path relative to the repo root ({@code /}-separated)
     * @param rules the ignore rules in force at {@code dir} (from the root and the folders above it)
     * @param shownDir the folder as the user named it, for messages
     */
    static List<FileInfo> list(Path dir, String dirRel, IgnoreRules rules, String shownDir) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        walk(dir, "", dirRel, rules, shownDir, files);
        return files;
    }

    // One lstat gives both the type and the permission bits (the Basic view alone would need a second stat).
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void walk(
            Path dir, String rel, String dirRel, IgnoreRules rules, String shownDir, List<FileInfo> out)
            throws IOException {
        if (Files.exists(dir.resolve(IgnoreRules.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
            throw new DataException(".dvcignore file should not be in collected dir path: '"
                    + (rel.isEmpty() ? shownDir : shownDir + "/" + rel) + "'. Move its rules to a .dvcignore above '"
                    + shownDir + "'.");
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            BasicFileAttributes attrs = attributes(child);
            boolean isDir = attrs.isDirectory() || (attrs.isSymbolicLink() && Files.isDirectory(child));
            if (rules.ignored(dirRel + "/" + childRel, isDir)) {
                continue;
            }
            if (attrs.isDirectory()) {
                walk(child, childRel, dirRel, rules, shownDir, out);
            } else if (attrs.isSymbolicLink()) {
                if (Files.isRegularFile(child)) {
                    out.add(FileInfo.of(child, childRel, attrs));
                }
            } else if (attrs.isRegularFile()) {
                out.add(FileInfo.of(child, childRel, attrs));
            }
        }
    }
}
