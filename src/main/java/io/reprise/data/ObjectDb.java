package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
final class ObjectDb implements ObjectSource {
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

    private final Path root;
    private final Path objects;
    private final java.util.Set<Path> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

    @Override
    public boolean has(String oid) {
        return Files.isRegularFile(path(oid));
    }

    @Override
    public String location() {
        return root.toString();
    }

    /**
     * Copies {@code src} into the store while hashing it, in one read; returns its md5 and size. The
     * object is named after the bytes actually copied, so a file changing under us cannot produce an
     * object whose name lies about its content. Files that fit the buffer are hashed first, so content
     * already stored is not written again and the temp file is made beside its final name.
     */
    Md5.Hashed ingest(Path src, long expectedSize, LongConsumer progress) throws IOException {
        if (expectedSize < Md5.BUFFER) {
            try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
                Md5.Held held = Md5.hold(in, progress);
                if (held != null) {
                    if (!has(held.hashed().md5())) {
                        write(held.hashed().md5(), held.bytes());
                    }
                    return held.hashed();
                }
            }
        }
        ensureDir(objects);
        Path temp = AtomicFiles.tempIn(objects, "ingest");
        try {
            Md5.Hashed h;
            try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
                    FileChannel out = create(temp)) {
                h = Md5.stream(in, out, progress);
            }
            publish(temp, h.md5());
            return h;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    private void write(String oid, ByteBuffer bytes) throws IOException {
        Path target = path(oid);
        ensureDir(target.getParent());
        Path temp = AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
        try {
            try (FileChannel out = create(temp)) {
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            AtomicFiles.move(temp, target);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    // Created read-only (0444) at once: the open for writing still succeeds, and no chmod is needed.
    private static FileChannel create(Path temp) throws IOException {
        try {
            return FileChannel.open(
                    temp,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(READ_ONLY));
        } catch (UnsupportedOperationException e) {
            return AtomicFiles.createChannel(temp);
        }
    }

    private void ensureDir(Path dir) throws IOException {
        if (!knownDirs.contains(dir)) {
            Files.createDirectories(dir);
            knownDirs.add(dir);
        }
    }

    /** Copies an object from another store, checking its hash when {@code verify}; no-op if present. */
    void copyFrom(ObjectDb source, String oid, boolean verify, LongConsumer progress) throws IOException {
        try (FileChannel in = FileChannel.open(source.path(oid), StandardOpenOption.READ)) {
            receive(oid, in, verify ? source.root().toString() : null, progress);
        } catch (NoSuchFileException e) {
            throw new MissingObjectException(oid, source.root().toString());
        }
    }

    /**
     * Stores the bytes of {@code in} as object {@code oid}: into a temp file, hashed on the way, then
     * renamed. With {@code verifyFrom} (where the bytes come from, for the message) a hash that does
     * not match the name is refused, and nothing is stored.
     */
    void receive(String oid, ReadableByteChannel in, String verifyFrom, LongConsumer progress) throws IOException {
        Path target = path(oid);
        ensureDir(target.getParent());
        Path temp = AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
        try {
            try (FileChannel out = create(temp)) {
                Md5.Hashed h = Md5.stream(in, out, progress);
                String expected = Oids.isDir(oid) ? oid.substring(0, 32) : oid;
                if (verifyFrom != null && !h.md5().equals(expected)) {
                    throw new DataException("Object " + oid + " in " + verifyFrom + " is corrupted (its md5 is "
                            + h.md5() + "); remove it there and push it again.");
                }
            }
            publish(temp, oid);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /** Stores bytes whose oid the caller computed (a directory manifest). */
    void putBytes(String oid, byte[] data) {
        if (has(oid)) {
            return;
        }
        try {
            write(oid, ByteBuffer.wrap(data));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write object " + oid + " to " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String oid) throws IOException {
        return Files.readAllBytes(path(oid));
    }

    // Renames a complete temp file to the object's name; deletes it when the object is already there.
    private void publish(Path temp, String oid) throws IOException {
        Path target = path(oid);
        if (Files.isRegularFile(target)) {
            Files.delete(temp); // same name, same bytes: keep the one readers (and hard links) already share
            return;
        }
        ensureDir(target.getParent());
        AtomicFiles.move(temp, target);
    }

    /** An object that should be in a store is not. */
    static final class MissingObjectException extends IOException {
        private static final long serialVersionUID = 1L;
        final String oid;

        MissingObjectException(String oid, String where) {
            super("object " + oid + " is missing from " + where);
            this.oid = oid;
        }
    }
}
