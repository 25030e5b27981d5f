package io.reprise.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file hashes by (file key = device + inode, mtime, size) so unchanged files are never
 * hashed twice. Lives in our own file under {@code .dvc/tmp/}; DVC's state db is left alone.
 *
 * <p>One flat binary file read in one go: a status of 100,000 files looks every one of them up, and
 * loading them row by row from SQLite cost over a second. Saving merges what this run learned into
 * what is on disk at that moment and replaces the file (temp + rename). Two commands saving at the
 * same instant may lose one's new entries: that costs a re-hash, never a wrong answer.
 *
 * <p>Racy writes: a file rewritten within the file system's timestamp granularity after we hashed it
 * keeps its mtime. Like git, we only trust an entry whose mtime is older than the moment it was
 * saved by more than that granularity; entries for just-written files are re-hashed once, later.
 */
final class StateDb implements AutoCloseable {
    static final String FILE_NAME = "reprise-state.bin";
    /** The SQLite file earlier versions kept; removed when the new file is first written. */
    private static final String OLD_FILE_NAME = "reprise-state.db";

    private static final long MAGIC = 0x5245505249534531L; // "REPRISE1"
    private static final int MD5_BYTES = 16;
    private static final long FINE_GRANULARITY_NS = 20_000_000L;
    private static final long COARSE_GRANULARITY_NS = 2_000_000_000L;

    /**
     * A file version: {@code fileKey} is the file system's identity of the file (the JDK's
     * {@code BasicFileAttributes.fileKey()}, or its string form), null where it has none; entries are
     * stored under its string form ("(dev=..,ino=..)" on Unix).
     */
    record Key(Object fileKey, long mtimeNs, long size) {}

    private record Entry(long mtimeNs, long size, String md5, long savedNs) {}

    private final Path file;
    private Map<String, Entry> entries;
    private final Map<String, Entry> pending = new ConcurrentHashMap<>();

    private StateDb(Path file) {
        this.file = file;
    }

    static StateDb open(Path tmpDir) {
        return new StateDb(tmpDir.resolve(FILE_NAME));
    }

    /** The md5 recorded for this exact file version, or null. */
    String get(Key key) {
        if (key.fileKey() == null) {
            return null;
        }
        Entry e = loaded().get(key.fileKey().toString());
        if (e == null || e.mtimeNs() != key.mtimeNs() || e.size() != key.size()) {
            return null;
        }
        return e.mtimeNs() + granularity(e.mtimeNs()) < e.savedNs() ? e.md5() : null;
    }

    void put(Key key, String md5) {
        if (key.fileKey() != null) {
            pending.put(key.fileKey().toString(), new Entry(key.mtimeNs(), key.size(), md5, 0));
        }
    }

    static long granularity(long mtimeNs) {
        // whole-second mtimes: a file system that may round to 1 or 2 seconds (FAT, some network mounts)
        return mtimeNs % 1_000_000_000L == 0 ? COARSE_GRANULARITY_NS : FINE_GRANULARITY_NS;
    }

    private synchronized Map<String, Entry> loaded() {
        if (entries == null) {
            entries = read(file);
        }
        return entries;
    }

    // A missing, foreign or damaged file reads as empty: the state is only a speed-up.
    private static Map<String, Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HashMap<>();
        } catch (IOException e) {
            return new HashMap<>();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.remaining() < 12 || in.getLong() != MAGIC) {
                return new HashMap<>();
            }
            int count = in.getInt();
            Map<String, Entry> out = HashMap.newHashMap(Math.max(count, 0));
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < count; i++) {
                int len = Short.toUnsignedInt(in.getShort());
                String key = new String(bytes, in.position(), len, StandardCharsets.ISO_8859_1);
                in.position(in.position() + len);
                long mtime = in.getLong();
                long size = in.getLong();
                String md5 = hex.formatHex(bytes, in.position(), in.position() + MD5_BYTES);
                in.position(in.position() + MD5_BYTES);
                out.put(key, new Entry(mtime, size, md5, in.getLong()));
            }
            return out;
        } catch (RuntimeException e) { // truncated or garbled (BufferUnderflow, bad length)
            return new HashMap<>();
        }
    }

    /** Saves what was recorded, after waiting out the timestamp granularity for just-written files. */
    @Override
    public void close() {
        if (pending.isEmpty()) {
            return;
        }
        long newest = pending.values().stream().mapToLong(Entry::mtimeNs).max().orElse(0);
        long waitNs = newest + FINE_GRANULARITY_NS - nowNs();
        if (waitNs > 0 && waitNs <= FINE_GRANULARITY_NS) {
            try {
                Thread.sleep(waitNs / 1_000_000L + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        save(nowNs());
    }

    static long nowNs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void save(long savedNs) {
        // What another command saved since we loaded is kept: merge into the file as it is now.
        Map<String, Entry> all = read(file);
        pending.forEach((k, e) -> all.put(k, new Entry(e.mtimeNs(), e.size(), e.md5(), savedNs)));
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeBytes(file, encode(all));
            Files.deleteIfExists(file.resolveSibling(OLD_FILE_NAME));
            pending.clear();
        } catch (IOException | RuntimeException e) {
            // the state is only a speed-up; failing to save it must not fail the command
        }
    }

    private static byte[] encode(Map<String, Entry> all) {
        int size = 12;
        for (String k : all.keySet()) {
            size += 2 + k.length() + 8 + 8 + MD5_BYTES + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(MAGIC).putInt(all.size());
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, Entry> e : all.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            out.putShort((short) key.length).put(key);
            out.putLong(e.getValue().mtimeNs()).putLong(e.getValue().size());
            out.put(hex.parseHex(e.getValue().md5())).putLong(e.getValue().savedNs());
        }
        return out.array();
    }
}
