package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code status}: how the workspace differs from what the .dvc files record. */
final class StatusOp {
    private final Repo repo;

    StatusOp(Repo repo) {
        this.repo = repo;
    }

    /** .dvc file (as shown) -> changed outputs (path as shown -> "modified", "deleted", ...). */
    Map<String, Map<String, String>> run(List<String> targets) {
        Timings.mark("start-up");
        List<Tracked> outs = repo.select(targets);
        Timings.mark("find .dvc files");
        Workspace ws = new Workspace(repo);
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        List<Tracked> dirs = new ArrayList<>();
        List<Tracked> files = new ArrayList<>();
        for (Tracked t : outs) {
            if (!t.out().legacy()) {
                (t.out().isDir() ? dirs : files).add(t);
            }
        }
        Map<Tracked, String> current = ws.currentOids(files);
        for (Tracked t : outs) {
            Workspace.DirNow dir = null;
            String now;
            if (t.out().legacy()) {
                now = ws.legacyOid(t);
            } else if (t.out().isDir()) {
                dir = ws.dirNow(t.path());
                now = dir == null ? null : dir.oid();
            } else {
                now = current.get(t);
            }
            String change = change(t, now, dir);
            if (change != null) {
                result.computeIfAbsent(label(t), k -> new LinkedHashMap<>()).put(repo.show(t.path()), change);
            }
        }
        return result;
    }

    // As dvc status names them: the .dvc file, or the stage ("train", "sub/dvc.yaml:train").
    private String label(Tracked t) {
        if (!t.fromLock()) {
            return repo.show(t.file());
        }
        Path yaml = t.file().resolveSibling(LockFile.PIPELINE);
        return yaml.getParent().equals(repo.cwd) ? t.stage() : repo.show(yaml) + ":" + t.stage();
    }

    /**
     * Output or file path (as shown) -> "new" (only in the cache), "deleted" (only on the remote),
     * "missing". 2.x entries are looked up in the 2.x cache and the remote's 2.x layout, as dvc 3 does.
     */
    Map<String, String> cloud(List<String> targets, Remote remote) {
        List<Tracked> outs = repo.select(targets);
        Map<String, String> result = new LinkedHashMap<>();
        cloud(outs, false, repo.cache, remote, result);
        if (outs.stream().anyMatch(t -> t.out().legacy())) {
            cloud(outs, true, repo.legacyCache, remote.legacy(), result);
        }
        return result;
    }

    private void cloud(List<Tracked> outs, boolean legacy, ObjectDb cache, Remote remote, Map<String, String> result) {
        Objects local = new Objects(cache);
        Objects far = new Objects(remote);
        // Path (as shown) -> oid, in the order dvc lists them; then one bulk lookup per side (a
        // listing by folder where that is cheaper than a stat or a HEAD request per object).
        Map<String, String> oids = new LinkedHashMap<>();
        for (Tracked t : outs) {
            Output o = t.out();
            if (o.md5() == null || !o.cached() || o.legacy() != legacy) {
                continue;
            }
            String shown = repo.show(t.path());
            if (o.isDir()) {
                DirManifest m = local.manifest(o.md5());
                if (m == null) {
                    m = far.manifest(o.md5());
                }
                if (m != null) {
                    for (DirManifest.Entry e : m.entries()) {
                        oids.put(shown + "/" + e.relpath(), e.md5());
                    }
                }
            }
            oids.put(shown, o.md5());
        }
        if (oids.isEmpty()) {
            return;
        }
        java.util.Set<String> all = new java.util.HashSet<>(oids.values());
        java.util.Set<String> notCached = cache.missing(all);
        java.util.Set<String> notOnRemote;
        try {
            notOnRemote = remote.missing(all);
        } catch (java.io.IOException e) {
            throw new DataException("Remote '" + remote.name() + "': " + e.getMessage());
        }
        oids.forEach((path, oid) -> put(result, path, !notCached.contains(oid), !notOnRemote.contains(oid)));
    }

    private static void put(Map<String, String> result, String path, boolean inCache, boolean inRemote) {
        if (inCache && !inRemote) {
            result.put(path, "new");
        } else if (!inCache && inRemote) {
            result.put(path, "deleted");
        } else if (!inCache) {
            result.put(path, "missing");
        }
    }

    /** {@code dir}: the folder as the workspace holds it, when the output is a folder. */
    private String change(Tracked t, String currentOid, Workspace.DirNow dir) {
        Output o = t.out();
        if (!Files.exists(t.path())) {
            return "deleted";
        }
        if (o.md5() == null) {
            return "new";
        }
        if (!o.md5().equals(currentOid)) {
            return "modified";
        }
        if (!o.cached()) {
            return null;
        }
        ObjectDb store = repo.cacheFor(o);
        boolean complete = dir != null
                ? store.has(o.md5()) && filesInCache(o.md5(), dir, store)
                : new Objects(store).complete(o.md5());
        Timings.mark("in-cache check");
        return complete ? null : "not in cache";
    }

    // An unchanged folder's files are those just listed (or, remembered, the cache's manifest of
    // them); a cache that has not changed since they were all found there still holds them.
    private boolean filesInCache(String oid, Workspace.DirNow dir, ObjectDb store) {
        if (repo.dirMemo.filesInCache(oid, null, store, 0)) {
            return true;
        }
        DirManifest m = dir.manifest() != null ? dir.manifest() : new Objects(store).manifest(oid);
        return m != null && repo.dirMemo.filesInCache(oid, m.oids(), store, 0);
    }

    /** Hashes workspace outputs (through the state db, so unchanged files are not read). */
    static final class Workspace {
        private final Repo repo;

        Workspace(Repo repo) {
            this.repo = repo;
        }

        /** Current md5 of file outputs (null when missing or a folder). Hashed in one parallel batch. */
        Map<Tracked, String> currentOids(List<Tracked> files) {
            List<FileInfo> infos = new ArrayList<>();
            List<Tracked> present = new ArrayList<>();
            for (Tracked t : files) {
                FileInfo f = stat(t.path());
                if (f != null) {
                    infos.add(f);
                    present.add(t);
                }
            }
            List<Hasher.Hashed> hashed = new Hasher(repo.state, null, repo.jobs).hash(infos, "Checking");
            Map<Tracked, String> out = new LinkedHashMap<>();
            for (int i = 0; i < present.size(); i++) {
                out.put(present.get(i), hashed.get(i).md5());
            }
            return out;
        }

        /** A folder's oid as the workspace holds it, and its manifest when it had to be built. */
        record DirNow(String oid, DirManifest manifest) {}

        /**
         * The folder's oid, or null when it is not a folder. A walk whose fingerprint status has seen
         * before (see {@link DirMemo}) answers without a state lookup or a manifest.
         */
        DirNow dirNow(Path dir) {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            long started = StateDb.nowNs();
            List<FileInfo> files = list(dir);
            Timings.mark("walk");
            String fingerprint = DirMemo.fingerprint(files, started);
            String known = repo.dirMemo.oidFor(fingerprint);
            Timings.mark("fingerprint");
            if (known != null) {
                return new DirNow(known, null);
            }
            Hasher hasher = new Hasher(repo.state, null, repo.jobs);
            DirManifest m = manifestOf(hasher.hash(files, "Checking"));
            String oid = m.oid();
            if (hasher.allStable()) {
                repo.dirMemo.rememberOid(fingerprint, oid);
            }
            Timings.mark("state lookups + manifest");
            return new DirNow(oid, m);
        }

        DirManifest manifest(Path dir) {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            return manifestOf(new Hasher(repo.state, null, repo.jobs).hash(list(dir), "Checking"));
        }

        private List<FileInfo> list(Path dir) {
            try {
                return WorkTree.list(dir, repo.rel(dir), repo.rulesAt(dir), repo.show(dir));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + repo.show(dir) + ": " + e.getMessage(), e);
            }
        }

        private static DirManifest manifestOf(List<Hasher.Hashed> hashed) {
            List<DirManifest.Entry> entries = new ArrayList<>(hashed.size());
            for (Hasher.Hashed h : hashed) {
                entries.add(new DirManifest.Entry(h.file().relpath(), h.md5()));
            }
            return new DirManifest(entries);
        }

        /**
         * The DVC 2.x oid of a 2.x output as the workspace holds it (its dos2unix md5, or its folder's
         * manifest of those), or null when missing. Not remembered in the state db, which holds md5s.
         */
        String legacyOid(Tracked t) {
            return legacyOid(t.path());
        }

        String legacyOid(Path p) {
            if (Files.isDirectory(p)) {
                DirManifest m = legacyManifest(p);
                return m.oid();
            }
            return Files.isRegularFile(p) ? legacyMd5(p) : null;
        }

        DirManifest legacyManifest(Path dir) {
            try {
                List<FileInfo> files = WorkTree.list(dir, repo.rel(dir), repo.rulesAt(dir), repo.show(dir));
                List<DirManifest.Entry> entries = new ArrayList<>(files.size());
                for (FileInfo f : files) {
                    entries.add(new DirManifest.Entry(f.relpath(), legacyMd5(f.path())));
                }
                return new DirManifest(entries);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + repo.show(dir) + ": " + e.getMessage(), e);
            }
        }

        String legacyMd5(Path file) {
            try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file)) {
                return Md5.dos2unix(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + repo.show(file) + ": " + e.getMessage(), e);
            }
        }

        private FileInfo stat(Path p) {
            try {
                return FileInfo.stat(p);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + repo.show(p) + ": " + e.getMessage(), e);
            }
        }
    }
}
