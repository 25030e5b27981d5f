package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
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
    // DVC 2.x objects are named by their md5-dos2unix (see Md5.dos2unix), and verified that way.
    private final boolean dos2unix;
    private final java.util.Set<Path> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ObjectDb(Path root) {
        this(root, root.resolve("files").resolve("md5"), false);
    }

    private ObjectDb(Path root, Path objects, boolean dos2unix) {
        this.root = root;
        this.objects = objects;
        this.dos2unix = dos2unix;
    }

    /** The DVC 2.x layout of the same store, {@code <root>/ab/cdef...}, where 2.x outputs' objects live. */
    static ObjectDb legacy(Path root) {
        return new ObjectDb(root, root, true);
    }

    /** Every object id in the store (names that are not object ids, e.g. temp files, are left out). */
    List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(objects)) {
            return out;
        }
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(objects)) {
            for (Path prefix : prefixes) {
                String two = prefix.getFileName().toString();
                if (two.length() != 2 || !Files.isDirectory(prefix, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> names = Files.newDirectoryStream(prefix)) {
                    for (Path name : names) {
                        String oid = two + name.getFileName();
                        if (Oids.isValid(oid)) {
                            out.add(oid);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Deletes an object (gc); true if it was there. */
    boolean remove(String oid) throws IOException {
        return Files.deleteIfExists(path(oid));
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

    private static final int LIST_THRESHOLD = 256;

    /**
     * The mtimes of the object folders (the two-letter ones and the one above them) in one string:
     * equal stamps mean no object was added or removed in between, as creating, renaming or deleting
     * an entry updates its folder's mtime. Null when a folder changed within its mtime's timestamp
     * granularity (a change in the same tick would not show; see StateDb) or cannot be read.
     */
    String folderStamp() {
        try {
            long now = StateDb.nowNs();
            java.security.MessageDigest md = Md5.digest();
            String[] names = objects.toFile().list();
            if (names == null) {
                return null;
            }
            java.util.Arrays.sort(names);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);
            for (String name : names) {
                long mtime = Files.getLastModifiedTime(objects.resolve(name), LinkOption.NOFOLLOW_LINKS)
                        .to(java.util.concurrent.TimeUnit.NANOSECONDS);
                if (mtime + StateDb.granularity(mtime) >= now) {
                    return null;
                }
                md.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(buf.clear().putLong(mtime).array());
            }
            long top = Files.getLastModifiedTime(objects, LinkOption.NOFOLLOW_LINKS)
                    .to(java.util.concurrent.TimeUnit.NANOSECONDS);
            if (top + StateDb.granularity(top) >= now) {
                return null;
            }
            md.update(buf.clear().putLong(top).array());
            return java.util.HexFormat.of().formatHex(md.digest()) + ":" + names.length;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Which of {@code oids} the store lacks. For many, the folders that would hold them are listed
     * (one readdir per two-letter folder instead of a stat per object), unless one folder shows the
     * store to be much bigger than the question, as DVC estimates a remote's size.
     */
    @Override
    public Set<String> missing(Collection<String> oids) {
        Set<String> out = new LinkedHashSet<>();
        if (oids.size() < LIST_THRESHOLD) {
            oids.stream().filter(o -> !has(o)).forEach(out::add);
            return out;
        }
        // Grouped by two-letter folder (as the folder's hex value), each folder listed once and its
        // names sorted, then each oid looked up by a binary search on the part after the folder:
        // no substring or hash set entry per object (a status of 100,000 files checks them all).
        @SuppressWarnings("unchecked")
        List<String>[] byFolder = new List[256];
        int folders = 0;
        int first = -1;
        for (String oid : oids) {
            int folder = oid.length() > 2 ? hexByte(oid) : -1;
            if (folder < 0) {
                if (oid.length() <= 2 || !has(oid)) {
                    out.add(oid); // not an object id: looked up as named, if it can be
                }
                continue;
            }
            if (byFolder[folder] == null) {
                byFolder[folder] = new ArrayList<>();
                folders++;
                first = first < 0 ? folder : first;
            }
            byFolder[folder].add(oid);
        }
        if (first < 0) {
            return out;
        }
        String[] firstNames = sortedNames(first);
        long estimate = (long) firstNames.length * folders;
        if (estimate > 4L * oids.size()) {
            oids.stream().filter(o -> !has(o)).forEach(out::add);
            return out;
        }
        // The folders are listed on all cores: a readdir and a sort each (100,000 objects: 0.1 s).
        int[] present = new int[folders];
        for (int folder = 0, k = 0; folder < 256; folder++) {
            if (byFolder[folder] != null) {
                present[k++] = folder;
            }
        }
        @SuppressWarnings("unchecked")
        List<String>[] lacking = new List[256];
        String[] firstList = firstNames;
        int firstFolder = first;
        try {
            Parallel.forEach(Runtime.getRuntime().availableProcessors(), folders, "reprise-list", k -> {
                int folder = present[k];
                String[] names = folder == firstFolder ? firstList : sortedNames(folder);
                List<String> none = new ArrayList<>();
                for (String oid : byFolder[folder]) {
                    if (!containsTail(names, oid)) {
                        none.add(oid);
                    }
                }
                lacking[folder] = none;
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int folder : present) {
            out.addAll(lacking[folder]);
        }
        return out;
    }

    // The value of the two lowercase hex digits an oid starts with (its folder), or -1.
    private static int hexByte(String oid) {
        int hi = lowerHex(oid.charAt(0));
        int lo = lowerHex(oid.charAt(1));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    private static int lowerHex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    // The names in one two-letter folder, sorted; java.io.File.list makes no Path per entry.
    private String[] sortedNames(int folder) {
        String[] names = objects.resolve(HexFormat.of().toHexDigits((byte) folder))
                .toFile()
                .list();
        if (names == null) {
            return new String[0];
        }
        java.util.Arrays.sort(names);
        return names;
    }

    // Whether sorted names hold oid's name within its folder (all of it after the first two letters).
    private static boolean containsTail(String[] sorted, String oid) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareTail(sorted[mid], oid);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    // name compared with oid.substring(2) in String order (UTF-16 units), without the substring.
    private static int compareTail(String name, String oid) {
        int n = Math.min(name.length(), oid.length() - 2);
        for (int i = 0; i < n; i++) {
            int d = name.charAt(i) - oid.charAt(i + 2);
            if (d != 0) {
                return d;
            }
        }
        return name.length() - (oid.length() - 2);
    }

    // Below this, reading a file into memory and writing it out costs less than the kernel copy plus
    // a memory map (fewer system calls); above, the copies through memory cost more.
    private static final long SMALL = 64 << 10;

    /**
     * Copies {@code src} into the store and returns the md5 and size of the bytes stored. Small files
     * are read once into memory and hashed, so content already stored is not written again; large ones
     * are copied by the kernel and the copy is hashed. Either way the object is named after the bytes
     * it holds, so a file changing under us cannot produce an object whose name lies about it.
     */
    Md5.Hashed ingest(Path src, long expectedSize, LongConsumer progress) throws IOException {
        if (expectedSize < SMALL) {
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
            Md5.Hashed h = copyHashed(src, temp, progress);
            publish(temp, h.md5());
            return h;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Large files: the kernel copies (copy_file_range: no trip through our memory, and a clone sharing
     * the extents where the file system can, XFS and btrfs), and the object must be named after the
     * bytes in the copy. The source is hashed, not the copy: its pages are in memory, while a clone's
     * are read back from disk (on XFS that made add of 2 GiB three times slower). The source's hash
     * names the copy only if its stat (inode, mtime, size) was the same before the hash and after the
     * copy, and its mtime older than the timestamp granularity, so that no write went unseen between
     * them. Otherwise the copy itself is hashed.
     */
    private static Md5.Hashed copyHashed(Path src, Path temp, LongConsumer progress) throws IOException {
        StateDb.Key before = FileInfo.currentKey(src);
        boolean settled = before != null
                && before.fileKey() != null
                && before.mtimeNs() + StateDb.granularity(before.mtimeNs()) < StateDb.nowNs();
        Md5.Hashed source = null;
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            if (settled) {
                source = Md5.stream(in, null, progress);
            }
            copyInKernel(in, temp, n -> {});
        }
        if (source != null && source.size() == before.size() && before.equals(FileInfo.currentKey(src))) {
            return source;
        }
        return hash(temp, source == null ? progress : n -> {});
    }

    private static void copyInKernel(FileChannel in, Path temp, LongConsumer progress) throws IOException {
        try (FileChannel out = create(temp)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                long n = in.transferTo(pos, Math.min(size - pos, 64L << 20), out);
                if (n <= 0) {
                    break;
                }
                pos += n;
                progress.accept(n);
            }
        }
    }

    // Our own temp copy, which nobody else writes: safe to hash through memory maps.
    private static Md5.Hashed hash(Path p, LongConsumer progress) throws IOException {
        try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ)) {
            return Md5.mapped(in, progress);
        }
    }

    private void write(String oid, ByteBuffer bytes) throws IOException {
        Path target = path(oid);
        ensureDir(target.getParent());
        AtomicFiles.write(target.getParent(), target, bytes, ObjectDb::create);
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

    /**
     * Copies an object from another store; with {@code verify} the copy is hashed and rejected unless
     * it matches its name (fetching), without it only copied (pushing from our own cache). The kernel
     * copies, and the copy is hashed through a memory map: no byte passes through the heap. Callers
     * copy only objects this store was just found to lack, so the rename is not preceded by a check
     * (a stat per object); an object that appeared meanwhile is replaced by the same bytes.
     */
    void copyFrom(ObjectDb source, String oid, boolean verify, LongConsumer progress) throws IOException {
        copyFrom(source, oid, verify, progress, null);
    }

    /** Who else wants a fetched object's bytes while they are in memory (see FreshCheckout). */
    interface Delivery {
        /** {@code bytes} (this thread's buffer: not to be kept) are object {@code oid}, now in the store. */
        void deliver(String oid, ByteBuffer bytes);
    }

    /**
     * {@link #copyFrom(ObjectDb, String, boolean, LongConsumer)}; a small object, verified and stored,
     * is then handed to {@code delivery} (when not null) from memory. Large ones are not.
     */
    void copyFrom(ObjectDb source, String oid, boolean verify, LongConsumer progress, Delivery delivery)
            throws IOException {
        Path target = path(oid);
        ensureDir(target.getParent());
        Path temp = AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
        try (FileChannel in = FileChannel.open(source.path(oid), StandardOpenOption.READ)) {
            long size = in.size();
            if (size < SMALL && !(verify && dos2unix)) {
                // Small: one read of the size fstat gave (no read to see the end: an object is not
                // written after its rename, and one that grew anyway fails the hash when verified),
                // hashed in memory only to verify, one write; fewer calls than a kernel copy and a map.
                ByteBuffer bytes = Md5.readExactly(in, (int) size, progress);
                if (bytes != null) {
                    if (verify) {
                        checkName(oid, Md5.of(bytes), source.root().toString());
                    }
                    try (FileChannel out = create(temp)) {
                        while (bytes.hasRemaining()) {
                            out.write(bytes);
                        }
                    }
                    AtomicFiles.move(temp, target);
                    if (delivery != null) {
                        delivery.deliver(oid, bytes.rewind());
                    }
                    return;
                }
            }
            copyInKernel(in, temp, verify ? n -> {} : progress);
            if (verify) {
                checkName(oid, nameOf(temp, progress), source.root().toString());
            }
            AtomicFiles.move(temp, target);
        } catch (NoSuchFileException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new MissingObjectException(oid, source.root().toString());
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Stores the bytes of {@code in} (a remote's download) as object {@code oid}: into a temp file,
     * hashed on the way, then renamed. With {@code verifyFrom} (where the bytes come from, for the
     * message) a hash that does not match the name is refused, and nothing is stored.
     */
    void receive(String oid, ReadableByteChannel in, String verifyFrom, LongConsumer progress) throws IOException {
        Path target = path(oid);
        ensureDir(target.getParent());
        Path temp = AtomicFiles.tempIn(target.getParent(), target.getFileName().toString());
        try {
            Md5.Hashed h;
            try (FileChannel out = create(temp)) {
                h = Md5.stream(in, out, progress);
            }
            if (verifyFrom != null) {
                checkName(oid, dos2unix ? nameOf(temp, n -> {}) : h.md5(), verifyFrom);
            }
            publish(temp, oid);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp);
            throw e;
        }
    }

    private static void checkName(String oid, String md5, String from) {
        String expected = Oids.isDir(oid) ? oid.substring(0, 32) : oid;
        if (!md5.equals(expected)) {
            throw new DataException("Object " + oid + " in " + from + " is corrupted (its md5 is " + md5
                    + "); remove it there and push it again.");
        }
    }

    // The name the bytes of our own temp copy deserve in this store: md5, or md5-dos2unix for 2.x.
    private String nameOf(Path temp, LongConsumer progress) throws IOException {
        if (!dos2unix) {
            return hash(temp, progress).md5();
        }
        try (FileChannel in = FileChannel.open(temp, StandardOpenOption.READ)) {
            String md5 = Md5.dos2unix(in);
            progress.accept(in.size());
            return md5;
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
