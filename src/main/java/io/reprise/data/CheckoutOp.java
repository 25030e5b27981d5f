package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code checkout}: makes the workspace match the .dvc files from the cache. Like DVC it refuses to
 * overwrite or delete workspace content that is not in the cache unless forced.
 */
final class CheckoutOp {
    private final Repo repo;
    private final boolean force;
    // Outputs pull already began checking out while fetching (null: none).
    private final FreshCheckout fresh;
    private final List<Path> unsaved = new ArrayList<>();

    /**
     * What happened: "A"/"M" per output path (as shown), outputs whose objects are missing, and
     * workspace files not in the cache that were left alone (their outputs were not checked out).
     */
    record Result(Map<String, String> changes, List<String> missing, List<String> unsaved) {}

    /** A workspace file to (re)write from an object. */
    private record Job(String md5, Path dest, boolean exec, ObjectDb store) {}

    CheckoutOp(Repo repo, boolean force) {
        this(repo, force, null);
    }

    /** The checkout after pull's fetch, which wrote some files of the outputs {@code fresh} covers. */
    CheckoutOp(Repo repo, boolean force, FreshCheckout fresh) {
        this.repo = repo;
        this.force = force;
        this.fresh = fresh;
    }

    Result run(List<Tracked> outs) {
        Map<String, String> changes = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        StatusOp.Workspace ws = new StatusOp.Workspace(repo);
        Map<Tracked, List<Job>> plans = new LinkedHashMap<>();
        Map<Tracked, List<Path>> deletions = new HashMap<>();
        Set<Tracked> added = new HashSet<>();
        for (Tracked t : outs) {
            Output o = t.out();
            if (o.md5() == null || !o.cached()) {
                continue;
            }
            Objects objects = new Objects(repo.cacheFor(o));
            boolean covered = fresh != null && fresh.covers(t);
            // The fetch just before knows which outputs it completed: no listing of the cache again.
            if (!(covered && fresh.complete(t)) && !objects.complete(o.md5())) {
                missing.add(repo.show(t.path()));
                if (covered) {
                    fresh.undo(t); // not checked out at all, as without the files written early
                }
                continue;
            }
            if (covered) {
                // Its path did not exist: nothing to compare, delete or keep; only files to finish.
                plans.put(t, remainingOf(t));
                deletions.put(t, List.of());
                added.add(t);
                continue;
            }
            List<Path> extra = new ArrayList<>();
            int unsavedBefore = unsaved.size();
            List<Job> jobs = o.isDir() ? planDir(t, objects.manifest(o.md5()), ws, extra) : planFile(t, ws);
            // An output with unsaved changes is left alone; the others are still checked out.
            boolean missingDir = o.isDir() && !Files.isDirectory(t.path());
            if (unsaved.size() == unsavedBefore && (!jobs.isEmpty() || !extra.isEmpty() || missingDir)) {
                plans.put(t, jobs);
                deletions.put(t, extra);
            }
        }
        Timings.mark("checkout plan");
        for (Map.Entry<Tracked, List<Job>> e : plans.entrySet()) {
            Tracked t = e.getKey();
            boolean existed = !added.contains(t) && Files.exists(t.path(), LinkOption.NOFOLLOW_LINKS);
            apply(t, e.getValue(), deletions.get(t));
            changes.put(repo.show(t.path()) + (t.out().isDir() ? "/" : ""), existed ? "M" : "A");
        }
        return new Result(changes, missing, unsaved.stream().map(repo::show).toList());
    }

    private List<Job> remainingOf(Tracked t) {
        ObjectDb store = repo.cacheFor(t.out());
        boolean exec = !t.out().isDir() && t.out().isexec();
        return fresh.remaining(t).stream()
                .map(e -> new Job(e.getKey(), e.getValue(), exec, store))
                .toList();
    }

    private List<Job> planFile(Tracked t, StatusOp.Workspace ws) {
        Path p = t.path();
        ObjectDb store = repo.cacheFor(t.out());
        String current = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                ? dirNotFile(p)
                : t.out().legacy()
                        ? ws.legacyOid(t)
                        : ws.currentOids(List.of(t)).get(t);
        if (t.out().md5().equals(current)) {
            if (t.out().isexec()) {
                exec(p);
            }
            return List.of();
        }
        if (current != null && !store.has(current) && !force) {
            unsaved.add(p);
        }
        return List.of(new Job(t.out().md5(), p, t.out().isexec(), store));
    }

    private String dirNotFile(Path p) {
        if (!force) {
            unsaved.add(p);
        }
        return null;
    }

    private List<Job> planDir(Tracked t, DirManifest manifest, StatusOp.Workspace ws, List<Path> extra) {
        Path dir = t.path();
        ObjectDb store = repo.cacheFor(t.out());
        Map<String, String> current = new HashMap<>();
        if (Files.isDirectory(dir)) {
            DirManifest now = t.out().legacy() ? ws.legacyManifest(dir) : ws.manifest(dir);
            now.entries().forEach(e -> current.put(e.relpath(), e.md5()));
        } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !force) {
            unsaved.add(dir);
        }
        List<Job> jobs = new ArrayList<>();
        for (DirManifest.Entry e : manifest.entries()) {
            String now = current.remove(e.relpath());
            if (!e.md5().equals(now)) {
                if (now != null && !store.has(now) && !force) {
                    unsaved.add(dir.resolve(e.relpath()));
                }
                jobs.add(new Job(e.md5(), dir.resolve(e.relpath()), false, store));
            }
        }
        current.forEach((rel, md5) -> {
            if (!store.has(md5) && !force) {
                unsaved.add(dir.resolve(rel));
            }
            extra.add(dir.resolve(rel));
        });
        return jobs;
    }

    private void apply(Tracked t, List<Job> jobs, List<Path> extra) {
        try {
            Path p = t.path();
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && t.out().isDir() != Files.isDirectory(p)) {
                deleteTree(p);
            }
            if (t.out().isDir()) {
                Files.createDirectories(p); // an empty folder is checked out too, as DVC does
            }
            for (Path x : extra) {
                Files.deleteIfExists(x);
            }
            link(jobs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check out " + repo.show(t.path()) + ": " + e.getMessage(), e);
        }
    }

    private void link(List<Job> jobs) throws IOException {
        if (jobs.size() == 1) {
            linkOne(jobs.getFirst());
            return;
        }
        // One thread per core: copying into the workspace is the kernel's work, not waiting.
        try {
            // A manifest's files come grouped by folder: spread, so threads create in different ones.
            int ways = Parallel.ways(repo.jobs);
            Parallel.forEach(
                    repo.jobs,
                    jobs.size(),
                    "reprise-checkout",
                    i -> linkOne(jobs.get(Parallel.spread(i, jobs.size(), ways))));
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(e);
        }
    }

    private void linkOne(Job j) throws IOException {
        repo.linker.link(j.store().path(j.md5()), j.dest(), j.exec());
        // A 2.x object's name is its dos2unix md5, not the md5 the state db remembers.
        if (j.store() == repo.cache) {
            // The key only (basic attributes): the permission bits a full stat decodes are not needed.
            StateDb.Key after = FileInfo.currentKey(j.dest());
            if (after != null) {
                repo.state.put(after, j.md5());
            }
        }
    }

    private static void exec(Path p) {
        try {
            Linker.makeExecutable(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make " + p + " executable: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
