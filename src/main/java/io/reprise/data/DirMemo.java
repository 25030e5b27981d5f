package io.reprise.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *       while it was hashed. The fingerprint is a 128-bit MurmurHash3 ({@link WalkHash}).
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
    private static final long STAMP_POLL_MS = 5;
    private static final int CHUNK = 32;

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
        WalkHash hash = new WalkHash();
        // Files go in chunks, a call each: C1 compiles a method after a few hundred calls, while one
        // loop over all the files would run interpreted until the JIT replaced it mid-loop.
        for (int from = 0; from < files.size(); from += CHUNK) {
            if (!hashChunk(hash, files.subList(from, Math.min(files.size(), from + CHUNK)), walkStartNs)) {
                return null;
            }
        }
        return "w" + hash.hex() + ":" + files.size();
    }

    // Each file's path, file key, mtime and size.
    private static boolean hashChunk(WalkHash hash, List<FileInfo> files, long walkStartNs) {
        for (FileInfo f : files) {
            StateDb.Key k = f.key();
            if (k.fileKey() == null || k.mtimeNs() + StateDb.granularity(k.mtimeNs()) >= walkStartNs) {
                return false;
            }
            hash.add(f.relpath());
            FileKeys.addTo(hash, k.fileKey());
            hash.add(k.mtimeNs());
            hash.add(k.size());
        }
        return true;
    }

    synchronized String oidFor(String fingerprint) {
        return fingerprint == null ? null : load().oids.get(fingerprint);
    }

    synchronized void rememberOid(String fingerprint, String oid) {
        if (fingerprint != null && !oid.equals(load().oids.put(fingerprint, oid))) {
            dirty = true;
        }
    }

    /**
     * Whether the files of folder {@code dirOid} ({@code fileOids}, from its manifest: null when the
     * manifest is missing) are all in {@code cache}: remembered when the cache has not changed since
     * they were last found there; else looked up, and the answer remembered under the cache stamp
     * taken before the lookup. {@code waitMs}: how long to wait for a stamp when the cache has just
     * changed (add and commit, which have just written objects, wait so that the next status need not
     * look them up; status does not wait).
     */
    boolean filesInCache(String dirOid, java.util.Collection<String> fileOids, ObjectDb cache, long waitMs) {
        String stamp = cache.folderStamp();
        synchronized (this) {
            if (stamp != null && stamp.equals(load().complete.get(dirOid))) {
                return true;
            }
        }
        if (fileOids == null) {
            return false;
        }
        for (long waited = 0; stamp == null && waited < waitMs; waited += STAMP_POLL_MS) {
            Retries.sleep(STAMP_POLL_MS);
            stamp = cache.folderStamp();
        }
        boolean complete = cache.missing(fileOids).isEmpty();
        if (complete && stamp != null) {
            synchronized (this) {
                if (!stamp.equals(load().complete.put(dirOid, stamp))) {
                    dirty = true;
                }
            }
        }
        return complete;
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
