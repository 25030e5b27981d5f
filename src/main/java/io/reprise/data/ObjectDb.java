package io.reprise.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A content-addressed object store laid out as DVC 3.x lays out caches and local remotes:
 * {@code <root>/files/md5/ab/cdef...}. Objects appear under their final name only complete (written to
 * a temp file beside it, then renamed) and read-only (0444), so an interrupted write leaves at most a
 * stray {@code .tmp} file that no reader takes for an object.
 */
final class ObjectDb {
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

    private final Path root;
    private final Path objects;

    ObjectDb(Path root) {
        this.root = root;
        this.objects = root.resolve("files").resolve("md5");
    }

    Path root() {
        return root;
    }

    Path path(String oid) {
        return objects.resolve(Oids.relativePath(oid));
    }

    boolean has(String oid) {
        return Files.isRegularFile(path(oid));
    }

    /**
     * Copies {@code src} into the store while hashing it, in one read; returns its md5 and size. The
     * object is named after the bytes actually copied, so a file changing under us cannot produce an
     * object whose name lies about its content.
     */
    Md5.Hashed ingest(Path src, LongConsumer progress) throws IOException {
        Files.createDirectories(objects);
        Path temp = AtomicFiles.tempIn(objects, "ingest");
        try {
            Md5.Hashed h;
            try (InputStream in = Files.newInputStream(src);
                    OutputStream out = AtomicFiles.create(temp)) {
                h = Md5.stream(in, out, progress);
            }
            publish(temp, h.md5());
            return h;
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** Copies an object from another store, checking its hash when {@code verify}; no-op if present. */
    void copyFrom(ObjectDb source, String oid, boolean verify, LongConsumer progress) throws IOException {
        Path target = path(oid);
        Files.createDirectories(target.getParent());
        Path temp = AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
        try {
            try (InputStream in = Files.newInputStream(source.path(oid));
                    OutputStream out = AtomicFiles.create(temp)) {
                Md5.Hashed h = Md5.stream(in, out, progress);
                String expected = Oids.isDir(oid) ? oid.substring(0, 32) : oid;
                if (verify && !h.md5().equals(expected)) {
                    throw new DataException("Object " + oid + " in " + source.root() + " is corrupted (its md5 is "
                            + h.md5() + "); remove it there and push it again.");
                }
            }
            publish(temp, oid);
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(oid, source.root());
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** Stores bytes whose oid the caller computed (a directory manifest). */
    void putBytes(String oid, byte[] data) {
        if (has(oid)) {
            return;
        }
        try {
            Path target = path(oid);
            Files.createDirectories(target.getParent());
            Path temp =
                    AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
            try {
                try (OutputStream out = AtomicFiles.create(temp)) {
                    out.write(data);
                }
                publish(temp, oid);
            } finally {
                AtomicFiles.deleteQuietly(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write object " + oid + " to " + root + ": " + e.getMessage(), e);
        }
    }

    byte[] read(String oid) throws IOException {
        return Files.readAllBytes(path(oid));
    }

    private void publish(Path temp, String oid) throws IOException {
        Path target = path(oid);
        if (Files.isRegularFile(target)) {
            return; // same name, same bytes: keep the one readers may already hold open
        }
        Files.createDirectories(target.getParent());
        try {
            Files.setPosixFilePermissions(temp, READ_ONLY);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: objects stay writable, as DVC's do there
        }
        try {
            AtomicFiles.move(temp, target);
        } catch (FileAlreadyExistsException e) {
            // another thread published the same content first
        }
    }

    /** An object that should be in a store is not. */
    static final class MissingObjectException extends IOException {
        private static final long serialVersionUID = 1L;
        final String oid;

        MissingObjectException(String oid, Path root) {
            super("object " + oid + " is missing from " + root);
            this.oid = oid;
        }
    }
}
