package io.reprise.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code diff}: what changed in tracked data between two git commits, or a commit and the workspace,
 * computed as dvc's repo/diff.py and dvc-data's index diff do: outputs and the files in folder
 * outputs are compared by hash; an added and a deleted entry with the same hash are a rename; files
 * of a folder whose manifest is not in the cache on either side are not compared.
 */
final class DiffOp {
    /** One entry: path (repo-relative, "/" after folders), hash, and for renames/changes the other side. */
    record Change(String path, String hash, String newPath, String newHash) {}

    /** Changes by kind, in dvc's key order; empty when nothing changed. */
    record Result(Map<String, List<Change>> changes) {}

    static final List<String> KINDS = List.of("added", "deleted", "modified", "renamed", "not in cache");

    // A path in one side's index; unknown: a folder whose files could not be listed.
    private record Entry(List<String> key, String hash, boolean isDir, boolean unknown, ObjectDb store) {
        String path() {
            return String.join("/", key) + (isDir ? "/" : "");
        }
    }

    private static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = DirManifest.CODE_POINT_ORDER.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private final Repo repo;

    DiffOp(Repo repo) {
        this.repo = repo;
    }

    /** {@code aRev} (default HEAD) against {@code bRev}, or the workspace when {@code bRev} is null. */
    Result run(String aRev, String bRev, List<String> targets) {
        Git git = repo.git();
        if (git == null) {
            throw new DataException("diff compares git revisions, and this repository has no git (or core.no_scm).");
        }
        if (git.commit("HEAD") == null) {
            return new Result(Map.of()); // no commits yet: nothing to compare, as dvc
        }
        String a = resolve(git, aRev == null ? "HEAD" : aRev);
        String b = bRev == null ? null : resolve(git, bRev);
        if (a.equals(b)) {
            return new Result(Map.of());
        }
        Map<List<String>, Entry> old = index(repo.trackedAt(git, a), false);
        Map<List<String>, Entry> now = index(b == null ? repo.allTracked() : repo.trackedAt(git, b), b == null);
        List<String> scope =
                targets.stream().map(this::key).map(k -> String.join("/", k)).toList();
        return new Result(diff(old, now, scope, b == null));
    }

    private static String resolve(Git git, String rev) {
        String sha = git.commit(rev);
        if (sha == null) {
            throw new DataException("unknown Git revision '" + rev + "'; name a commit, branch or tag.");
        }
        return sha;
    }

    private List<String> key(String target) {
        // a .dvc file stands for the output beside it
        Path p = repo.resolve(target.endsWith(DvcFile.SUFFIX) ? target.substring(0, target.length() - 4) : target);
        if (!p.startsWith(repo.root)) {
            throw new DataException("'" + target + "' is outside the repository " + repo.root + ".");
        }
        return List.of(repo.rel(p).split("/", -1));
    }

    // The outputs (cached ones, as dvc's data index holds) and the files of folder outputs.
    private Map<List<String>, Entry> index(List<Tracked> outs, boolean workspace) {
        Map<List<String>, Entry> index = new HashMap<>();
        StatusOp.Workspace ws = new StatusOp.Workspace(repo);
        List<Tracked> files = new ArrayList<>();
        for (Tracked t : outs) {
            if (!t.out().cached()) {
                continue;
            }
            if (workspace && !Files.isDirectory(t.path())) {
                files.add(t);
                continue;
            }
            List<String> root = List.of(repo.rel(t.path()).split("/", -1));
            ObjectDb store = repo.cacheFor(t.out());
            DirManifest m;
            String hash;
            boolean isDir;
            if (workspace) {
                m = ws.manifest(t.path());
                hash = m.oid();
                isDir = true;
            } else {
                hash = t.out().md5();
                isDir = t.out().isDir();
                m = isDir ? new Objects(store).manifest(hash) : null;
            }
            index.put(root, new Entry(root, hash, isDir, isDir && m == null, store));
            if (m != null) {
                for (DirManifest.Entry e : m.entries()) {
                    List<String> key = new ArrayList<>(root);
                    key.addAll(List.of(e.relpath().split("/", -1)));
                    index.put(key, new Entry(key, e.md5(), false, false, store));
                }
            }
        }
        Map<Tracked, String> current = ws.currentOids(files);
        for (Tracked t : files) {
            String hash = current.get(t);
            if (hash != null) {
                List<String> root = List.of(repo.rel(t.path()).split("/", -1));
                index.put(root, new Entry(root, hash, false, false, repo.cacheFor(t.out())));
            }
        }
        return index;
    }

    private static Map<String, List<Change>> diff(
            Map<List<String>, Entry> old, Map<List<String>, Entry> now, List<String> scope, boolean withMissing) {
        Map<String, List<Change>> out = new LinkedHashMap<>();
        KINDS.forEach(k -> out.put(k, new ArrayList<>()));
        Set<List<String>> unknownRoots = new HashSet<>();
        for (Map<List<String>, Entry> side : List.of(old, now)) {
            side.values().stream().filter(Entry::unknown).forEach(e -> unknownRoots.add(e.key()));
        }
        TreeSet<List<String>> keys = new TreeSet<>(KEY_ORDER);
        keys.addAll(old.keySet());
        keys.addAll(now.keySet());
        List<Entry> added = new ArrayList<>();
        List<Entry> deleted = new ArrayList<>();
        for (List<String> key : keys) {
            if (!inScope(key, scope) || underUnknown(key, unknownRoots)) {
                continue;
            }
            Entry o = old.get(key);
            Entry n = now.get(key);
            if (o == null) {
                added.add(n);
            } else if (n == null) {
                deleted.add(o);
            } else if (o.isDir() != n.isDir() || !java.util.Objects.equals(o.hash(), n.hash())) {
                out.get("modified").add(new Change(o.path(), o.hash(), null, n.hash()));
            }
            if (withMissing && o != null && o.hash() != null && !o.store().has(o.hash())) {
                out.get("not in cache").add(new Change(o.path(), o.hash(), null, null));
            }
        }
        // dvc-data's _detect_renames: in key order, each addition takes the first deletion of its hash.
        Map<String, Deque<Entry>> byHash = new HashMap<>();
        deleted.forEach(
                d -> byHash.computeIfAbsent(d.hash(), h -> new ArrayDeque<>()).add(d));
        for (Entry a : added) {
            Deque<Entry> q = a.hash() == null ? null : byHash.get(a.hash());
            if (q != null && !q.isEmpty()) {
                Entry d = q.poll();
                out.get("renamed").add(new Change(d.path(), d.hash(), a.path(), null));
            } else {
                out.get("added").add(new Change(a.path(), a.hash(), null, null));
            }
        }
        byHash.values()
                .forEach(q -> q.forEach(d -> out.get("deleted").add(new Change(d.path(), d.hash(), null, null))));
        out.values().forEach(l -> l.sort(Comparator.comparing(Change::path, DirManifest.CODE_POINT_ORDER)));
        boolean any = out.values().stream().anyMatch(l -> !l.isEmpty());
        return any ? out : Map.of();
    }

    private static boolean inScope(List<String> key, List<String> scope) {
        if (scope.isEmpty()) {
            return true;
        }
        String path = String.join("/", key);
        return scope.stream().anyMatch(s -> path.equals(s) || path.startsWith(s + "/"));
    }

    private static boolean underUnknown(List<String> key, Set<List<String>> unknownRoots) {
        for (List<String> root : unknownRoots) {
            if (key.size() > root.size() && key.subList(0, root.size()).equals(root)) {
                return true;
            }
        }
        return false;
    }
}
