package io.reprise.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Puts cache objects into the workspace with the link type DVC's {@code cache.type} asks for, trying
 * each in order: reflink and copy (the default) give an independent writable file, hardlink and
 * symlink share the read-only object. The file appears at once, through a temp file and a rename.
 */
final class Linker {
    enum Type {
        REFLINK,
        COPY,
        HARDLINK,
        SYMLINK;

        static Type parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DataException("Unknown cache.type '" + s.strip()
                        + "' in .dvc/config; use reflink, copy, hardlink or symlink.");
            }
        }
    }

    private static final Set<PosixFilePermission> NEW_FILE = defaultFilePermissions();

    private final List<Type> types;
    // Folders already made: a checkout of 20,000 files in 700 folders otherwise asks the file system
    // for each file's folder again (a failing mkdir and a stat each).
    private final Set<Path> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Linker(List<Type> types) {
        this.types = types;
    }

    boolean sharesCacheObjects() {
        return types.getFirst() == Type.HARDLINK || types.getFirst() == Type.SYMLINK;
    }

    /** Replaces whatever is at {@code dest} by the object {@code obj}; sets u+x when {@code exec}. */
    void link(Path obj, Path dest, boolean exec) throws IOException {
        Path dir = folderOf(dest);
        Path temp = AtomicFiles.tempIn(dir, dest.getFileName().toString());
        IOException last = null;
        for (Type t : types) {
            try {
                make(t, obj, temp, exec);
                AtomicFiles.move(temp, dest);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                AtomicFiles.deleteQuietly(temp);
                last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        throw last == null ? new IOException("no link type") : last;
    }

    /**
     * Replaces whatever is at {@code dest} by a new file holding {@code bytes}, as a copy of an object
     * holding them would (0666 minus the umask, through a temp file and a rename): what pull does
     * with a fetched object still in memory instead of reading it back from the cache.
     */
    void write(ByteBuffer bytes, Path dest) throws IOException {
        AtomicFiles.write(folderOf(dest), dest, bytes, AtomicFiles::createChannel);
    }

    // dest's folder, made if need be (once per folder per command).
    private Path folderOf(Path dest) throws IOException {
        Path dir = dest.toAbsolutePath().getParent();
        if (!knownDirs.contains(dir)) {
            Files.createDirectories(dir);
            knownDirs.add(dir);
        }
        return dir;
    }

    private static void make(Type t, Path obj, Path temp, boolean exec) throws IOException {
        switch (t) {
            case REFLINK, COPY -> {
                // A new file gets 0666 minus the umask, as DVC's copies do (not the object's 0444);
                // transferTo is copy_file_range, which clones where the file system can (btrfs, xfs).
                try (FileChannel in = FileChannel.open(obj, StandardOpenOption.READ);
                        FileChannel out =
                                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long size = in.size();
                    for (long pos = 0; pos < size; ) {
                        long n = in.transferTo(pos, size - pos, out);
                        if (n <= 0) {
                            throw new IOException(obj + " ended early; it is being changed");
                        }
                        pos += n;
                    }
                }
                if (exec) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(NEW_FILE);
                    perms.add(PosixFilePermission.OWNER_EXECUTE); // DVC: mode | S_IEXEC
                    setPermissions(temp, perms);
                }
            }
            case HARDLINK -> Files.createLink(temp, obj);
            case SYMLINK -> Files.createSymbolicLink(temp, obj.toAbsolutePath());
        }
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not POSIX: nothing to set
        }
    }

    /** Sets u+x on a file output DVC marks {@code isexec}. */
    static void makeExecutable(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (perms.add(PosixFilePermission.OWNER_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }

    // Copies must get the permissions a newly created file gets (0666 minus the umask), as with
    // DVC's copyfile, not the object's 0444. Java cannot read the umask, so create a file and look.
    private static Set<PosixFilePermission> defaultFilePermissions() {
        try {
            Path probe = Files.createTempDirectory("reprise-umask");
            Path f = probe.resolve("f");
            try (OutputStream out = Files.newOutputStream(f)) {
                out.flush();
            }
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(f));
            Files.delete(f);
            Files.delete(probe);
            return perms;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return EnumSet.of(
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ);
        }
    }
}
