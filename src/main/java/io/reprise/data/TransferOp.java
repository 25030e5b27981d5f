package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code push} and {@code fetch} between the cache and a remote (local, S3 or HTTP). Files go before
 * the .dir manifest that lists them, so neither side ever holds a manifest whose files are missing;
 * fetched objects are hashed on the way in and rejected if they do not match their name. Objects
 * move in parallel, each retried a few times on I/O errors (a dropped connection, a busy server).
 * Outputs of DVC 2.x entries go, as with dvc 3, between the 2.x cache ({@code .dvc/cache/ab/...}) and
 * the remote's 2.x layout ({@code <remote>/ab/...}), verified by their md5-dos2unix.
 */
final class TransferOp {
    private final Repo repo;
    private final ObjectDb cache;
    private final Remote remote;
    // Whether this instance moves the 2.x entries (cache and remote in 2.x layout) or the 3.x ones.
    private final boolean legacy;
    // Pull's checkout of absent outputs from fetched bytes; null for a plain fetch or push.
    private final FreshCheckout fresh;

    private enum Direction {
        PUSH,
        FETCH
    }

    /** Objects copied, and outputs whose objects were missing at the source. */
    record Result(int transferred, List<String> missing) {
        Result plus(Result other) {
            List<String> all = new ArrayList<>(missing);
            all.addAll(other.missing);
            return new Result(transferred + other.transferred, all);
        }
    }

    TransferOp(Repo repo, Remote remote) {
        this(repo, remote, null);
    }

    /** A transfer whose fetch also checks out the outputs {@code fresh} takes on (see FreshCheckout). */
    TransferOp(Repo repo, Remote remote, FreshCheckout fresh) {
        this(repo, repo.cache, remote, false, fresh);
    }

    private TransferOp(Repo repo, ObjectDb cache, Remote remote, boolean legacy, FreshCheckout fresh) {
        this.repo = repo;
        this.cache = cache;
        this.remote = remote;
        this.legacy = legacy;
        this.fresh = fresh;
    }

    // The same transfer for the 2.x entries among outs, or null when there are none.
    private TransferOp forLegacy(List<Tracked> outs) {
        boolean any = outs.stream().anyMatch(t -> t.out().legacy());
        return any ? new TransferOp(repo, repo.legacyCache, remote.legacy(), true, null) : null;
    }

    Result push(List<Tracked> outs) {
        if (!remote.db().writable()) {
            throw HttpRemoteDb.readOnly(remote.name(), remote.db().location());
        }
        Result r = pushOwn(outs);
        TransferOp old = forLegacy(outs);
        return old == null ? r : r.plus(old.pushOwn(outs));
    }

    Result fetch(List<Tracked> outs) {
        Result r = fetchOwn(outs);
        TransferOp old = forLegacy(outs);
        return old == null ? r : r.plus(old.fetchOwn(outs));
    }

    private Result pushOwn(List<Tracked> outs) {
        Objects cached = new Objects(cache);
        Objects remoteObjects = new Objects(remote);
        Set<String> files = new LinkedHashSet<>();
        Set<String> dirs = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        List<Tracked> outputs = transferable(outs);
        Map<Tracked, List<String>> fileOidsOf = new LinkedHashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (Tracked t : outputs) {
            String oid = t.out().md5();
            List<String> fileOids = cached.fileOids(oid);
            if (fileOids == null) {
                fileOids = remoteObjects.fileOids(oid);
            }
            if (fileOids != null) {
                fileOidsOf.put(t, fileOids);
                wanted.addAll(fileOids);
                wanted.add(oid);
            }
        }
        Timings.mark("push manifests");
        // One bulk lookup on each side instead of a stat (or a request) per object.
        Set<String> notCached = missingIn(cache, wanted);
        Set<String> notOnRemote = notCached.isEmpty() ? Set.of() : missingIn(remote, notCached);
        Timings.mark("push lookups");
        for (Tracked t : outputs) {
            String oid = t.out().md5();
            List<String> fileOids = fileOidsOf.get(t);
            // What the remote already has need not be in the cache (it may have been pushed and gc'ed).
            boolean complete = fileOids != null
                    && fileOids.stream().allMatch(o -> !notOnRemote.contains(o))
                    && !notOnRemote.contains(oid);
            if (!complete) {
                missing.add(repo.show(t.path()));
                continue;
            }
            files.addAll(fileOids);
            if (Oids.isDir(oid)) {
                dirs.add(oid);
            }
        }
        Timings.mark("push plan");
        int n = copy(files, Direction.PUSH, "Pushing", null);
        Timings.mark("push copy");
        n += copy(dirs, Direction.PUSH, "Pushing", null);
        Timings.mark("push manifest copy");
        return new Result(n, missing);
    }

    private Result fetchOwn(List<Tracked> outs) {
        Set<String> files = new LinkedHashSet<>();
        Map<String, DirManifest> dirs = new LinkedHashMap<>();
        Objects cached = new Objects(cache);
        Objects remoteObjects = new Objects(remote);
        List<Tracked> todo = new ArrayList<>();
        for (Tracked t : transferable(outs)) {
            String oid = t.out().md5();
            if (cached.complete(oid)) {
                continue;
            }
            todo.add(t);
            if (!Oids.isDir(oid)) {
                files.add(oid);
                expect(t, null);
                continue;
            }
            DirManifest m = manifest(cached, remoteObjects, oid);
            if (m != null) {
                m.entries().forEach(e -> files.add(e.md5()));
                dirs.put(oid, m);
                expect(t, m);
            }
        }
        Timings.mark("fetch plan");
        // The objects the remote turned out not to have; every other one of `files` is in the cache
        // now (it was, or was just copied there): no listing of the cache is needed to know that.
        Set<String> absent = ConcurrentHashMap.newKeySet();
        int n = copy(files, Direction.FETCH, "Fetching", absent);
        Timings.mark("fetch copy");
        // A manifest enters the cache only once all its files did.
        Set<String> completeDirs = new LinkedHashSet<>();
        dirs.forEach((d, m) -> {
            if (m.entries().stream().noneMatch(e -> absent.contains(e.md5()))) {
                completeDirs.add(d);
            }
        });
        n += copy(completeDirs, Direction.FETCH, "Fetching", absent);
        List<String> missing = new ArrayList<>();
        for (Tracked t : todo) {
            String oid = t.out().md5();
            boolean complete =
                    Oids.isDir(oid) ? completeDirs.contains(oid) && !absent.contains(oid) : !absent.contains(oid);
            if (!complete) {
                missing.add(repo.show(t.path()));
            } else if (fresh != null) {
                fresh.completed(t);
            }
        }
        return new Result(n, missing);
    }

    private void expect(Tracked t, DirManifest m) {
        if (fresh != null) {
            fresh.expect(t, m);
        }
    }

    private List<Tracked> transferable(List<Tracked> outs) {
        return outs.stream()
                .filter(t ->
                        t.out().md5() != null && t.out().cached() && t.out().legacy() == legacy)
                .toList();
    }

    // The manifest from the cache, else from the remote (verified against its name before use).
    private static DirManifest manifest(Objects cached, Objects remoteObjects, String oid) {
        DirManifest m = cached.manifest(oid);
        if (m != null) {
            return m;
        }
        return remoteObjects.verifiedManifest(oid);
    }

    private Set<String> missingIn(ObjectSource store, Set<String> oids) {
        try {
            return store.missing(oids);
        } catch (IOException e) {
            throw new DataException("Remote '" + remote.name() + "': " + e.getMessage());
        }
    }

    /**
     * Copies the objects the target lacks, in parallel; objects missing at the source are skipped, and
     * added to {@code absent} when not null.
     */
    private int copy(Set<String> oids, Direction direction, String label, Set<String> absent) {
        if (oids.isEmpty()) {
            return 0;
        }
        List<String> todo = lacking(oids, direction);
        if (todo.isEmpty()) {
            return 0;
        }
        // A network remote waits on round trips: 4 per core. A local one keeps the cores busy in the
        // kernel (creating files): more threads than cores only add context switches.
        int perCore = remote.db() instanceof LocalRemoteDb ? 1 : 4;
        // Sizes only for a progress bar: a stat per object is not worth it in a pipe.
        long bytes = Progress.shown()
                ? todo.stream().mapToLong(o -> size(direction, o)).sum()
                : 0;
        try (Progress progress = Progress.start(label, todo.size(), bytes)) {
            AtomicInteger copied = new AtomicInteger();
            int threads = repo.jobs * perCore;
            int ways = Parallel.ways(threads);
            Parallel.forEach(threads, todo.size(), "reprise-transfer", i -> {
                // Lists come grouped by two-letter folder: spread, so threads create in different ones.
                String oid = todo.get(Parallel.spread(i, todo.size(), ways));
                if (transfer(direction, oid, progress)) {
                    copied.incrementAndGet();
                } else if (absent != null) {
                    absent.add(oid);
                }
                progress.fileDone();
            });
            return copied.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private List<String> lacking(Set<String> oids, Direction direction) {
        if (direction == Direction.PUSH) {
            Set<String> present;
            try {
                present =
                        Retries.run(remote.name(), "listing", () -> remote.db().presentAmong(oids));
            } catch (IOException e) {
                throw new DataException("Remote '" + remote.name() + "': " + e.getMessage());
            }
            if (present != null) {
                return oids.stream().filter(o -> !present.contains(o)).toList();
            }
        }
        return List.copyOf(missingIn(direction == Direction.PUSH ? remote : cache, oids));
    }

    private long size(Direction direction, String oid) {
        if (direction == Direction.FETCH) {
            return remote.db().sizeHint(oid);
        }
        try {
            return Files.size(cache.path(oid));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Moves one object, retrying I/O errors; false when the source does not have it. */
    private boolean transfer(Direction direction, String oid, Progress progress) throws IOException {
        try {
            return Retries.run(remote.name(), oid, () -> {
                if (direction == Direction.PUSH) {
                    remote.db().upload(cache, oid, progress::bytes);
                } else {
                    remote.db().download(oid, cache, progress::bytes, fresh);
                }
                return true;
            });
        } catch (ObjectDb.MissingObjectException e) {
            return false; // reported per output by the caller
        }
    }
}
