package io.reprise.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A file's identity ({@link java.nio.file.attribute.BasicFileAttributes#fileKey()}: device and inode
 * on Unix), to hash. The JDK's key only shows them through {@code toString()}, which for a
 * walk of 100,000 files cost a tenth of a status's CPU; where java.base opens {@code sun.nio.fs} to
 * us (the jar's manifest asks for it) they are read from the key's fields instead.
 */
final class FileKeys {
    private static final VarHandle DEV;
    private static final VarHandle INO;
    private static final Class<?> UNIX_KEY;

    static {
        VarHandle dev = null;
        VarHandle ino = null;
        Class<?> type = null;
        try {
            type = Class.forName("sun.nio.fs.UnixFileKey");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            dev = lookup.findVarHandle(type, "st_dev", long.class);
            ino = lookup.findVarHandle(type, "st_ino", long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            dev = null; // not opened to us, or another JDK: the string form serves
            ino = null;
            type = null;
        }
        DEV = dev;
        INO = ino;
        UNIX_KEY = type;
    }

    private FileKeys() {}

    /** Whether keys are read from their fields (else through their string form). */
    static boolean direct() {
        return UNIX_KEY != null;
    }

    /** Adds {@code key}'s identity to {@code hash}: its device and inode, else its string form. */
    static void addTo(WalkHash hash, Object key) {
        if (UNIX_KEY != null && key.getClass() == UNIX_KEY) {
            hash.add((long) DEV.get(key));
            hash.add((long) INO.get(key));
        } else {
            hash.add(key.toString());
        }
    }
}
