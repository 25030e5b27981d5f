package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes outputs into the cache and computes what their .dvc entries record; add and commit share
 * it. All files of all outputs are hashed in one parallel batch.
 */
final class Saver {
    // A stamp needs the cache folders' mtimes older than their granularity (20 ms; see StateDb).
    private static final long STAMP_WAIT_MS = 100;

    private final Repo repo;

    /** What to save: an output path, and the output entry it updates (a new one has md5 == null). */
    record Target(Path path, Output out) {}

    /** The saved output, and the files it consists of (for relinking). */
    record Saved(Target target, Output out, List<Hasher.Hashed> files) {}

    Saver(Repo repo) {
        this.repo = repo;
    }

    List<Saved> save(List<Target> targets) {
        // As dvc 3 does, a 2.x entry whose data did not change stays a 2.x entry (its objects stay in
        // the 2.x cache); a changed one is saved as 3.x. (dvc would also store missing 2.x objects in
        // the 2.x cache; here such an entry is saved as 3.x, which dvc reads as well.)
        Saved[] kept = new Saved[targets.size()];
        List<Target> toSave = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            if (unchangedLegacy(t)) {
                kept[i] = new Saved(t, t.out(), List.of());
            } else {
                toSave.add(t);
            }
        }
        List<Saved> saved = saveAll(toSave);
        List<Saved> out = new ArrayList<>(targets.size());
        int next = 0;
        for (Saved k : kept) {
            out.add(k != null ? k : saved.get(next++));
        }
        return out;
    }

    private boolean unchangedLegacy(Target t) {
        Output o = t.out();
        return o.legacy()
                && o.md5().equals(new StatusOp.Workspace(repo).legacyOid(t.path()))
                && new Objects(repo.legacyCache).complete(o.md5());
    }

    private List<Saved> saveAll(List<Target> targets) {
        long started = StateDb.nowNs();
        List<List<FileInfo>> perTarget = new ArrayList<>();
        List<FileInfo> all = new ArrayList<>();
        for (Target t : targets) {
            List<FileInfo> files = list(t.path());
            perTarget.add(files);
            all.addAll(files);
        }
        Hasher hasher = new Hasher(repo.state, repo.cache, repo.jobs);
        List<Hasher.Hashed> hashed = hasher.hash(all, "Adding");
        List<Saved> saved = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            List<Hasher.Hashed> mine =
                    hashed.subList(next, next + perTarget.get(i).size());
            next += mine.size();
            Output out = outputFor(t, mine);
            saved.add(new Saved(t, out, mine));
            if (out.isDir() && hasher.allStable()) { // the next status need not look the files up
                repo.dirMemo.rememberOid(DirMemo.fingerprint(perTarget.get(i), started), out.md5());
            }
        }
        relink(saved);
        vouchCached(saved);
        return saved;
    }

    // The objects just written change the cache's folders, so the next status would list the cache
    // to find a folder's files there (0.2 s for 100,000). Looked up here instead, once the cache has
    // been quiet long enough to be stamped, and remembered under that stamp (see DirMemo).
    private void vouchCached(List<Saved> saved) {
        for (Saved s : saved) {
            if (s.out().isDir() && !s.out().legacy()) {
                List<String> oids = s.files().stream().map(Hasher.Hashed::md5).toList();
                repo.dirMemo.filesInCache(s.out().md5(), oids, repo.cache, STAMP_WAIT_MS);
            }
        }
    }

    private List<FileInfo> list(Path path) {
        try {
            if (Files.isDirectory(path)) {
                List<FileInfo> files = WorkTree.list(path, repo.rel(path), repo.rulesAt(path), repo.show(path));
                refuseNestedOutputs(path, files);
                return files;
            }
            FileInfo f = FileInfo.stat(path);
            if (f == null) {
                throw new DataException("'" + repo.show(path) + "' does not exist.");
            }
            return List.of(f);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + repo.show(path) + ": " + e.getMessage(), e);
        }
    }

    // A .dvc file inside a folder output would track data twice (DVC: "overlapping" outputs).
    private void refuseNestedOutputs(Path dir, List<FileInfo> files) {
        for (FileInfo f : files) {
            if (f.relpath().endsWith(DvcFile.SUFFIX)) {
                for (Tracked t : repo.load(f.path())) {
                    throw new DataException("Cannot add '" + repo.show(dir) + "', because it is overlapping with other"
                            + " DVC tracked output: '" + repo.show(t.path()) + "' (in " + repo.show(f.path())
                            + "). Track one or the other.");
                }
            }
        }
    }

    private Output outputFor(Target t, List<Hasher.Hashed> files) {
        if (!Files.isDirectory(t.path())) {
            Hasher.Hashed h = files.getFirst();
            return t.out().withHash(h.md5(), h.size(), null, h.file().exec());
        }
        List<DirManifest.Entry> entries = new ArrayList<>(files.size());
        long size = 0;
        for (Hasher.Hashed h : files) {
            entries.add(new DirManifest.Entry(h.file().relpath(), h.md5()));
            size += h.size();
        }
        DirManifest manifest = new DirManifest(entries);
        String oid = manifest.oid();
        repo.cache.putBytes(oid, manifest.toJson());
        return t.out().withHash(oid, size, (long) entries.size(), false);
    }

    // With hardlink/symlink cache types DVC replaces workspace files by links to the cache objects.
    private void relink(List<Saved> saved) {
        if (!repo.linker.sharesCacheObjects()) {
            return;
        }
        try {
            for (Saved s : saved) {
                for (Hasher.Hashed h : s.files()) {
                    Path obj = repo.cache.path(h.md5());
                    Path p = h.file().path();
                    if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).equals(obj)) {
                        continue;
                    }
                    if (!Files.isSymbolicLink(p) && Files.isSameFile(p, obj)) {
                        continue;
                    }
                    repo.linker.link(obj, p, false);
                    FileInfo after = FileInfo.stat(p);
                    if (after != null && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        repo.state.put(after.key(), h.md5());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot link workspace files to the cache: " + e.getMessage(), e);
        }
    }
}
