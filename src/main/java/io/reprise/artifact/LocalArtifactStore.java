package io.reprise.artifact;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Artifacts as files under one root folder. Uploads land in a temp file that is fsynced and renamed
 * into place, so a reader never sees half a file; no path, and no symbolic link planted inside the
 * root, lets a read, write, listing or deletion reach outside it.
 */
public final class LocalArtifactStore implements ArtifactStore {
    /** MLflow's prefix for in-flight uploads: hidden from listings, refused as an artifact name. */
    static final String TEMP_PREFIX = ".artifact.uploading.";

    private static final int CHUNK = 1 << 20;

    // Linux's NAME_MAX and PATH_MAX (4096), less room for the temp name beside the target: a name the
    // file system cannot hold is the client's error (400), not an IOException (500).
    private static final int MAX_NAME_BYTES = 255;
    private static final int MAX_PATH_BYTES = 4000;

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

    @Override
    public String location() {
        return root.toString();
    }

    /** Stores the stream at {@code relPath}, replacing any file there, atomically. */
    @Override
    public void put(String relPath, InputStream content) {
        Path target = inside(relPath);
        if (target.equals(root)) {
            throw SafePath.invalid();
        }
        checkLength(target);
        String name = target.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
            throw MlflowException.invalid(
                    "Invalid artifact file name: '%s'. Artifact names starting with '%s' are reserved.",
                    name, TEMP_PREFIX);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw MlflowException.invalid("Cannot write artifact '%s': a folder of that name exists", relPath);
        }
        Path parent = createParents(target, relPath);
        Path tmp = parent.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            writeSynced(content, tmp, relPath);
            move(tmp, target);
            syncDirectory(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store artifact " + relPath, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void checkLength(Path target) {
        boolean tooLong = utf8Length(target.toString()) > MAX_PATH_BYTES;
        for (Path name : target) {
            tooLong |= utf8Length(name.toString()) > MAX_NAME_BYTES;
        }
        if (tooLong) {
            throw MlflowException.invalid(
                    "Artifact path too long: a name may have at most %d bytes and a whole path %d",
                    MAX_NAME_BYTES, MAX_PATH_BYTES);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // The parents are created one level at a time, each checked first, so a symlinked folder
    // cannot make us create folders outside the root.
    private Path createParents(Path target, String relPath) {
        Path parent = target.getParent();
        try {
            for (Path p = root; !p.equals(parent); ) {
                p = p.resolve(parent.getName(p.getNameCount()));
                checkInside(p);
                if (!Files.isDirectory(p)) {
                    Files.createDirectories(p);
                }
            }
            checkInside(parent);
            return parent;
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw MlflowException.invalid("Cannot write artifact '%s': a file is in the way of its folder", relPath);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder of artifact " + relPath, e);
        }
    }

    private static void writeSynced(InputStream content, Path tmp, String relPath) throws IOException {
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[CHUNK];
            for (int n = readUpload(content, buf, relPath); n >= 0; n = readUpload(content, buf, relPath)) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            }
            out.force(true);
        }
    }

    // A client that hangs up mid-upload is the client's problem, not a server error.
    private static int readUpload(InputStream content, byte[] buf, String relPath) {
        try {
            return content.read(buf);
        } catch (IOException e) {
            throw new MlflowException(
                    ErrorCode.BAD_REQUEST,
                    String.format("The upload of '%s' was cut short: %s", relPath, e.getMessage()));
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // Makes the rename itself durable; not every platform can open a folder, so this is best effort.
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file's own bytes are already synced
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is hidden from listings and replaced by the next upload
        }
    }

    /** The file at {@code relPath}; RESOURCE_DOES_NOT_EXIST when nothing is there, INVALID for a folder. */
    public Path file(String relPath) {
        Path p = inside(relPath);
        if (Files.isDirectory(p)) {
            throw MlflowException.invalid(
                    "Artifact path refers to a directory, not a file: '%s'", SafePath.relative(relPath));
        }
        if (!Files.isRegularFile(p)) {
            throw MlflowException.notFound("No such artifact: '%s'", SafePath.relative(relPath));
        }
        return p;
    }

    // The size comes from the opened file, so an upload replacing it meanwhile cannot make it lie.
    @Override
    public Download open(String relPath) {
        Path p = file(relPath);
        try {
            FileChannel channel = FileChannel.open(p, StandardOpenOption.READ);
            return new Download(p.getFileName().toString(), channel.size(), Channels.newInputStream(channel));
        } catch (NoSuchFileException e) {
            throw MlflowException.notFound("No such artifact: '%s'", SafePath.relative(relPath));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read artifact " + relPath, e);
        }
    }

    /** The direct children of a folder, sorted by name; empty when the folder does not exist. */
    @Override
    public List<Entry> list(String relDir) {
        Path dir = inside(relDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                if (!child.getFileName().toString().startsWith(TEMP_PREFIX) && staysInside(child)) {
                    boolean isDir = Files.isDirectory(child);
                    out.add(new Entry(
                            root.relativize(dir).resolve(child.getFileName()).toString(),
                            isDir,
                            isDir ? 0 : Files.size(child)));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list artifacts in " + relDir, e);
        }
        return out;
    }

    /**
     * Deletes a file or a folder tree; deleting what is not there succeeds, as in MLflow. Symbolic
     * links inside the tree are removed themselves, never followed.
     */
    @Override
    public void delete(String relPath) {
        Path p = inside(relPath);
        if (p.equals(root)) {
            throw SafePath.invalid();
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (NoSuchFileException e) {
            // deleted concurrently: the outcome the client asked for
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete artifact " + relPath, e);
        }
    }

    /** The validated path under the root, refused when it, or a link on its way, leads outside. */
    private Path inside(String relPath) {
        Path p = SafePath.resolve(root, relPath);
        checkInside(p);
        return p;
    }

    // MLflow's validate_path_within_directory: resolve the path itself when something (even a
    // dangling link) is there, else its nearest existing ancestor; the real path must be in the root.
    private void checkInside(Path p) {
        if (!staysInside(p)) {
            throw SafePath.invalid();
        }
    }

    private boolean staysInside(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            return existing.toRealPath().startsWith(root);
        } catch (IOException e) {
            // a dangling or looping link: its target is unknown, so it is not trusted
            return false;
        }
    }
}
