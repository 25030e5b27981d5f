package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code gc}: removes from the cache (and with {@code cloud}, from the remote) every object that no
 * kept revision uses: the workspace, plus the git commits the scope names. Objects of DVC 2.x entries
 * are kept in the 2.x layout and collected there, as dvc does. Anything a kept output may need is
 * kept: a folder whose manifest cannot be read anywhere is reported, and its files can only be kept
 * if some other output names them.
 */
final class GcOp {
    /** Which git commits to keep besides the workspace; {@code num} applies to {@code rev} and branches. */
    record Scope(boolean allBranches, boolean allTags, boolean allCommits, String rev, int num) {}

    /** Paths of the objects removed (or, dry, that would be) per store, and warnings. */
    record Result(List<String> cache, List<String> legacy, List<String> remote, List<String> warnings) {}

    private final Repo repo;
    private final Remote remote; // null: none configured and not needed
    private final List<String> warnings = new ArrayList<>();

    GcOp(Repo repo, Remote remote) {
        this.repo = repo;
        this.remote = remote;
    }

    Result run(Scope scope, boolean cloud, boolean notInRemote, boolean dry) {
        Set<String> used = new HashSet<>();
        Set<String> usedLegacy = new HashSet<>();
        for (List<Tracked> tree : trees(scope)) {
            for (Tracked t : tree) {
                collect(t, t.out().legacy() ? usedLegacy : used);
            }
        }
        try {
            // The remote is listed first: one that cannot be (HTTP) stops gc before anything is removed.
            List<String> remoteOids = cloud || notInRemote ? remote.db().list(false) : List.of();
            List<String> remoteLegacy = cloud || notInRemote ? remote.db().list(true) : List.of();
            if (notInRemote) {
                used.removeAll(new HashSet<>(remoteOids));
                usedLegacy.removeAll(new HashSet<>(remoteLegacy));
            }
            List<String> cache = sweep(repo.cache, used, dry);
            List<String> legacy = sweep(repo.legacyCache, usedLegacy, dry);
            List<String> far = new ArrayList<>();
            if (cloud) {
                far.addAll(sweep(remote.db(), false, remoteOids, used, dry));
                far.addAll(sweep(remote.db(), true, remoteLegacy, usedLegacy, dry));
            }
            return new Result(cache, legacy, far, warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot collect garbage: " + e.getMessage(), e);
        }
    }

    /** The workspace's outputs, then each kept commit's. */
    private List<List<Tracked>> trees(Scope scope) {
        List<List<Tracked>> trees = new ArrayList<>();
        trees.add(repo.allTracked());
        Set<String> commits = commits(scope);
        if (!commits.isEmpty()) {
            Git git = repo.git();
            for (String sha : commits) {
                trees.add(repo.trackedAt(git, sha));
            }
        }
        return trees;
    }

    private Set<String> commits(Scope scope) {
        Set<String> out = new LinkedHashSet<>();
        if (!scope.allBranches() && !scope.allTags() && !scope.allCommits() && scope.rev() == null) {
            return out;
        }
        Git git = repo.git();
        if (git == null) {
            throw new DataException("Keeping git revisions needs git, and this repository has none (or core.no_scm);"
                    + " use -w alone.");
        }
        String n = Integer.toString(Math.max(1, scope.num()));
        if (scope.allCommits()) {
            out.addAll(git.revList(List.of("--all")));
        }
        if (scope.allBranches()) {
            for (String tip : git.refCommits("refs/heads")) {
                out.addAll(git.revList(List.of("-n", n, tip)));
            }
        }
        if (scope.allTags()) {
            out.addAll(git.refCommits("refs/tags"));
        }
        if (scope.rev() != null) {
            String sha = git.commit(scope.rev());
            if (sha == null) {
                throw new DataException("unknown Git revision '" + scope.rev() + "'; name a commit, branch or tag.");
            }
            out.addAll(git.revList(List.of("-n", n, sha)));
        }
        return out;
    }

    // The output's object and, for a folder, every file its manifest lists.
    private void collect(Tracked t, Set<String> used) {
        Output o = t.out();
        if (o.md5() == null || !o.cached() || !Oids.isValid(o.md5())) {
            return;
        }
        used.add(o.md5());
        if (!o.isDir()) {
            return;
        }
        DirManifest m = new Objects(repo.cacheFor(o)).manifest(o.md5());
        if (m == null && remote != null) {
            if (remote.db() instanceof LocalRemoteDb local) {
                m = new Objects(o.legacy() ? ObjectDb.legacy(local.db().root()) : local.db()).manifest(o.md5());
            } else if (!o.legacy()) {
                m = new Objects(remote.db()).manifest(o.md5());
            }
        }
        if (m == null) {
            warnings.add("Missing cache for directory '" + repo.show(t.path()) + "' (" + o.md5()
                    + "): the files in it are kept only if other outputs use them.");
            return;
        }
        m.entries().forEach(e -> used.add(e.md5()));
    }

    // Manifests first, as dvc does: no manifest is left behind pointing at files already removed.
    private static List<String> sweep(ObjectDb db, Set<String> used, boolean dry) throws IOException {
        List<String> unused = new ArrayList<>();
        for (String oid : db.list()) {
            if (!used.contains(oid)) {
                unused.add(oid);
            }
        }
        unused.sort((a, b) -> Boolean.compare(!Oids.isDir(a), !Oids.isDir(b)));
        List<String> removed = new ArrayList<>();
        for (String oid : unused) {
            if (dry || db.remove(oid)) {
                removed.add(db.path(oid).toString());
            }
        }
        return removed;
    }

    // The same on a remote (a local folder or S3; an HTTP remote refuses): deleted in batches.
    private static List<String> sweep(RemoteDb db, boolean legacy, List<String> present, Set<String> used, boolean dry)
            throws IOException {
        List<String> unused = new ArrayList<>();
        for (String oid : present) {
            if (!used.contains(oid)) {
                unused.add(oid);
            }
        }
        List<String> dirs = unused.stream().filter(Oids::isDir).toList();
        List<String> files = unused.stream().filter(o -> !Oids.isDir(o)).toList();
        if (!dry) {
            db.remove(dirs, legacy);
            db.remove(files, legacy);
        }
        List<String> removed = new ArrayList<>();
        dirs.forEach(o -> removed.add(db.where(o, legacy)));
        files.forEach(o -> removed.add(db.where(o, legacy)));
        return removed;
    }
}
