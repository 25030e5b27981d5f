package io.reprise.reproduce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of a checkout by size and modification time, to find what a command created or changed
 * without hashing the whole tree: only those are hashed. Git's and DVC's own folders and Python's
 * bytecode caches (which embed the source's mtime, so differ between checkouts) are left out.
 */
final class FileStates {
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "__pycache__", ".pytest_cache");

    private FileStates() {}

    record State(long size, long mtime) {}

    static Map<String, State> scan(Path root) {
        Map<String, State> out = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name =
                            dir.getFileName() == null ? "" : dir.getFileName().toString();
                    String rel = root.relativize(dir).toString();
                    if (SKIPPED_DIRS.contains(name) || rel.equals(".dvc/cache") || rel.equals(".dvc/tmp")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.toString().endsWith(".pyc")) {
                        out.put(
                                root.relativize(file).toString(),
                                new State(attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The files created or changed since {@code before}, with their sha256. */
    static Map<String, String> produced(Path root, Map<String, State> before) {
        Map<String, String> out = new TreeMap<>();
        scan(root).forEach((path, state) -> {
            if (!state.equals(before.get(path))) {
                out.put(path, sha256(root.resolve(path)));
            }
        });
        return out;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
