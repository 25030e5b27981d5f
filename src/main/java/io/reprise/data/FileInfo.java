package io.reprise.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A workspace file as one stat saw it; {@code relpath} is relative to the output it belongs to.
 * {@code exec} is known for files stat'ed on their own (a file output's .dvc entry records it);
 * files of a folder walk leave it false, as a .dir manifest records no permission bits. The file is
 * {@code dir} itself when {@code relpath} is empty, else its entry named by relpath's last part: a
 * walk of 100,000 files keeps one Path per folder instead of one per file (less for the GC to copy).
 */
record FileInfo(Path dir, String relpath, StateDb.Key key, boolean exec) {

    Path path() {
        return relpath.isEmpty() ? dir : dir.resolve(relpath.substring(relpath.lastIndexOf('/') + 1));
    }

    long size() {
        return key.size();
    }

    /**
     * The entry {@code name} of folder {@code dir} in a folder walk, from its lstat; follows the link
     * when {@code attrs} is a symlink.
     */
    static FileInfo inFolder(Path dir, String name, String relpath, BasicFileAttributes attrs) throws IOException {
        BasicFileAttributes a =
                attrs.isSymbolicLink() ? Files.readAttributes(dir.resolve(name), BasicFileAttributes.class) : attrs;
        return new FileInfo(dir, relpath, keyOf(a), false);
    }

    /** The state key of {@code path} now (following links), or null when it is gone. */
    static StateDb.Key currentKey(Path path) throws IOException {
        try {
            return keyOf(Files.readAttributes(path, BasicFileAttributes.class));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Stats {@code path} (following links); null if it does not exist or is not a regular file. */
    static FileInfo stat(Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = read(path);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        return a.isRegularFile() ? new FileInfo(path, "", keyOf(a), isExec(a, path)) : null;
    }

    private static BasicFileAttributes read(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(path, BasicFileAttributes.class);
        }
    }

    static StateDb.Key keyOf(BasicFileAttributes a) {
        // fileKey: device and inode on Unix; null where there are no inodes
        return new StateDb.Key(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
    }

    private static boolean isExec(BasicFileAttributes a, Path path) throws IOException {
        Set<PosixFilePermission> perms;
        if (a instanceof PosixFileAttributes p) {
            perms = p.permissions();
        } else {
            try {
                perms = Files.getPosixFilePermissions(path, new LinkOption[0]);
            } catch (UnsupportedOperationException e) {
                return false;
            }
        }
        return perms.contains(PosixFilePermission.OWNER_EXECUTE)
                || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
    }
}
