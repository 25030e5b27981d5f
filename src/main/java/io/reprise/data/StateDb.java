package io.reprise.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file hashes by (file key = device + inode, mtime, size) so unchanged files are never
 * hashed twice. Lives in our own SQLite file under {@code .dvc/tmp/}; DVC's state db is left alone.
 *
 * <p>Racy writes: a file rewritten within the file system's timestamp granularity after we hashed it
 * keeps its mtime. Like git, we only trust an entry whose mtime is older than the moment it was
 * saved by more than that granularity; entries for just-written files are re-hashed once, later.
 */
final class StateDb implements AutoCloseable {
    static final String FILE_NAME = "reprise-state.db";
    private static final long FINE_GRANULARITY_NS = 20_000_000L;
    private static final long COARSE_GRANULARITY_NS = 2_000_000_000L;

    record Key(String fileKey, long mtimeNs, long size) {}

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
        Entry e = loaded().get(key.fileKey());
        if (e == null || e.mtimeNs() != key.mtimeNs() || e.size() != key.size()) {
            return null;
        }
        return e.mtimeNs() + granularity(e.mtimeNs()) < e.savedNs() ? e.md5() : null;
    }

    void put(Key key, String md5) {
        if (key.fileKey() != null) {
            pending.put(key.fileKey(), new Entry(key.mtimeNs(), key.size(), md5, 0));
        }
    }

    private static long granularity(long mtimeNs) {
        // whole-second mtimes: a file system that may round to 1 or 2 seconds (FAT, some network mounts)
        return mtimeNs % 1_000_000_000L == 0 ? COARSE_GRANULARITY_NS : FINE_GRANULARITY_NS;
    }

    private synchronized Map<String, Entry> loaded() {
        if (entries == null) {
            entries = new HashMap<>();
            if (Files.exists(file)) {
                try (Connection c = connect();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT file_key, mtime_ns, size, md5, saved_ns FROM hashes")) {
                    while (rs.next()) {
                        entries.put(
                                rs.getString(1),
                                new Entry(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
                    }
                } catch (SQLException e) {
                    entries.clear(); // a damaged state db only costs re-hashing
                }
            }
        }
        return entries;
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

    private static long nowNs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void save(long savedNs) {
        try {
            Files.createDirectories(file.getParent());
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(
                            "CREATE TABLE IF NOT EXISTS hashes (file_key TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL,"
                                    + " size INTEGER NOT NULL, md5 TEXT NOT NULL, saved_ns INTEGER NOT NULL) WITHOUT ROWID");
                }
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?, ?)")) {
                    for (Map.Entry<String, Entry> e : pending.entrySet()) {
                        ps.setString(1, e.getKey());
                        ps.setLong(2, e.getValue().mtimeNs());
                        ps.setLong(3, e.getValue().size());
                        ps.setString(4, e.getValue().md5());
                        ps.setLong(5, savedNs);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            pending.clear();
        } catch (java.io.IOException | SQLException e) {
            // the state is only a speed-up; failing to save it must not fail the command
        }
    }

    private Connection connect() throws SQLException {
        // The driver directly: DriverManager would first load every JDBC driver on the class path.
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        Connection c = ds.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }
}
