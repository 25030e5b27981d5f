package io.reprise.artifact;

import io.reprise.model.MlflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Artifacts as files under one root folder. Uploads land in a temp file and are renamed into place,
 * so a reader never sees half a file; symbolic links are never followed out of the root.
 */
public final class LocalArtifactStore {
    private final Path root;

    public LocalArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the artifact folder " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** One entry of a listing: the path relative to the store root, and the size of files. */
    public record Entry(String path, boolean isDir, long size) {}

    /** Stores the stream at {@code relPath}, replacing any file there, atomically. */
    public void put(String relPath, InputStream content) {
        Path target = SafePath.resolve(root, relPath);
        if (target.equals(root)) {
            throw SafePath.invalid();
        }
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            checkNoSymlinkEscape(parent);
            Path tmp = parent.resolve(".upload-" + UUID.randomUUID() + ".tmp");
            try {
                Files.copy(content, tmp);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw MlflowException.invalid("Cannot write artifact '%s': a folder of that name exists", relPath);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store artifact " + relPath, e);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file at {@code relPath}; RESOURCE_DOES_NOT_EXIST when there is no regular file there. */
    public Path file(String relPath) {
        Path p = SafePath.resolve(root, relPath);
        checkNoSymlinkEscape(p);
        if (!Files.isRegularFile(p)) {
            throw MlflowException.notFound("No artifact at path '%s'", SafePath.relative(relPath));
        }
        return p;
    }

    /** The direct children of a folder, sorted by name; empty when the folder does not exist. */
    public List<Entry> list(String relDir) {
        Path dir = SafePath.resolve(root, relDir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        checkNoSymlinkEscape(dir);
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".upload-") && name.endsWith(".tmp")) {
                    continue;
                }
                String rel = root.relativize(child).toString();
                if (Files.isSymbolicLink(child)) {
                    continue;
                }
                boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
                out.add(new Entry(rel, isDir, isDir ? 0 : Files.size(child)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list artifacts in " + relDir, e);
        }
        return out;
    }

    /** Deletes a file or a folder tree; RESOURCE_DOES_NOT_EXIST when nothing is there. */
    public void delete(String relPath) {
        Path p = SafePath.resolve(root, relPath);
        if (p.equals(root)) {
            throw SafePath.invalid();
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw MlflowException.notFound("No artifact at path '%s'", SafePath.relative(relPath));
        }
        checkNoSymlinkEscape(p.getParent());
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (NoSuchFileException e) {
            // deleted concurrently: the outcome the client asked for
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete artifact " + relPath, e);
        }
    }

    // A symlink planted inside the root must not let a path escape it.
    private void checkNoSymlinkEscape(Path p) {
        try {
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && !existing.toRealPath().startsWith(root)) {
                throw SafePath.invalid();
            }
        } catch (IOException e) {
            throw SafePath.invalid();
        }
    }
}
