package io.reprise.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What status learnt about tracked folders, so an unchanged one costs a directory walk and nothing
 * more (issue #7: status on 100,000 unchanged files). Two facts, in {@code .dvc/tmp/reprise-dirs.txt}:
 *
 * <ul>
 *   <li>a folder whose walk gave this <em>fingerprint</em> (every file's path, device + inode, mtime
 *       and size, in manifest order) has this .dir oid. Any change to a file's stat, or a file added,
 *       removed or renamed, changes the fingerprint. As in the state db (and git), a file changed
 *       within the timestamp granularity of its mtime could keep its stat: no fingerprint is taken
 *       when a file's mtime is that close to the start of the walk, nor when a file's stat changed
 *       while it was hashed.
 *   <li>a .dir oid's files were all in the cache when the cache's two-letter folders had these
 *       mtimes (the <em>cache stamp</em>). Adding or removing an object changes its folder's mtime,
 *       so an equal stamp means the same set of objects. Folders changed within the file system's
 *       timestamp granularity give no stamp (a change in the same tick would not show).
 * </ul>
 *
 * <p>Like the state db it is only a speed-up: missing, damaged or lost to a concurrent save, it
 * costs the full check, never a wrong answer.
 */
final class DirMemo implements AutoCloseable {
    static final String FILE_NAME = "reprise-dirs.txt";
    private static final int MAX_ENTRIES = 256;

    private final Path file;
    private Map<String, String> oids; // fingerprint -> .dir oid
    private Map<String, String> complete; // .dir oid -> cache stamp
    private boolean dirty;

    DirMemo(Path tmpDir) {
        this.file = tmpDir.resolve(FILE_NAME);
    }

    /**
     * The fingerprint of a folder's walk begun at {@code walkStartNs}, or null (nothing is remembered)
     * when a file has no inode or was modified too close to the walk for its stat to be trusted.
     */
    static String fingerprint(List<FileInfo> files, long walkStartNs) {
        MessageDigest md = Md5.digest();
        // Each file's record (path, NUL, file key, mtime, size) is laid out in one reused buffer and
        // hashed with one update: 100,000 files are otherwise 400,000 updates and 200,000 byte arrays.
        // The bytes hashed are the same either way (non-ASCII paths take the general path).
        byte[] record = new byte[512];
        java.nio.ByteBuffer numbers = java.nio.ByteBuffer.wrap(record);
        for (FileInfo f : files) {
            StateDb.Key k = f.key();
            if (k.fileKey() == null || k.mtimeNs() + StateDb.granularity(k.mtimeNs()) >= walkStartNs) {
                return null;
            }
            int n = putAscii(record, 0, f.relpath());
            if (n >= 0) {
                record[n++] = 0;
                n = putAscii(record, n, k.fileKey());
            }
            if (n >= 0) {
                numbers.putLong(n, k.mtimeNs()).putLong(n + 8, k.size());
                md.update(record, 0, n + 16);
            } else {
                md.update(f.relpath().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(k.fileKey().getBytes(StandardCharsets.ISO_8859_1));
                numbers.putLong(0, k.mtimeNs()).putLong(8, k.size());
                md.update(record, 0, 16);
            }
        }
        return HexFormat.of().formatHex(md.digest()) + ":" + files.size();
    }

    // Writes ASCII {@code s} at {@code at} (its UTF-8 and ISO-8859-1 bytes alike); the index after it,
    // or -1 when it is not ASCII or leaves no room for the rest of the record.
    private static int putAscii(byte[] out, int at, String s) {
        if (at + s.length() > out.length - 32) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            out[at + i] = (byte) c;
        }
        return at + s.length();
    }

    synchronized String oidFor(String fingerprint) {
        return fingerprint == null ? null : load().oids.get(fingerprint);
    }

    synchronized void rememberOid(String fingerprint, String oid) {
        if (fingerprint != null && !oid.equals(load().oids.put(fingerprint, oid))) {
            dirty = true;
        }
    }

    /** Whether {@code dirOid}'s files were all in {@code cache} and the cache has not changed since. */
    synchronized boolean knownComplete(String dirOid, ObjectDb cache) {
        String was = load().complete.get(dirOid);
        return was != null && was.equals(stamp(cache));
    }

    /** The cache stamp to record after a completeness check; take it before checking. Null: none. */
    static String stamp(ObjectDb cache) {
        return cache.folderStamp();
    }

    synchronized void rememberComplete(String dirOid, String stampBefore) {
        if (stampBefore != null && !stampBefore.equals(load().complete.put(dirOid, stampBefore))) {
            dirty = true;
        }
    }

    private DirMemo load() {
        if (oids == null) {
            oids = new LinkedHashMap<>();
            complete = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] p = line.split(" ");
                    if (p.length == 3 && p[0].equals("oid")) {
                        oids.put(p[1], p[2]);
                    } else if (p.length == 3 && p[0].equals("complete")) {
                        complete.put(p[1], p[2]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // missing or unreadable: start empty
            }
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (!dirty) {
            return;
        }
        List<String> lines = new ArrayList<>();
        newest(oids).forEach((k, v) -> lines.add("oid " + k + " " + v));
        newest(complete).forEach((k, v) -> lines.add("complete " + k + " " + v));
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException | RuntimeException e) {
            // only a speed-up: failing to save it must not fail the command
        }
    }

    // The last MAX_ENTRIES put (insertion order; a re-put keeps its place, good enough for a bound).
    private static Map<String, String> newest(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        int skip = Math.max(0, m.size() - MAX_ENTRIES);
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (skip-- <= 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
