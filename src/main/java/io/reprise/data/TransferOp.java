package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code push} and {@code fetch} between the cache and a local remote. Files go before the .dir
 * manifest that lists them, so neither side ever holds a manifest whose files are missing; fetched
 * objects are hashed on the way in and rejected if they do not match their name.
 */
final class TransferOp {
    private final Repo repo;
    private final Remote remote;

    /** Objects copied, and outputs whose objects were missing at the source. */
    record Result(int transferred, List<String> missing) {}

    TransferOp(Repo repo, Remote remote) {
        this.repo = repo;
        this.remote = remote;
    }

    Result push(List<Tracked> outs) {
        Objects cached = new Objects(repo.cache);
        Objects remoteObjects = new Objects(remote.db());
        Set<String> files = new LinkedHashSet<>();
        Set<String> dirs = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (Tracked t : transferable(outs)) {
            String oid = t.out().md5();
            List<String> fileOids = cached.fileOids(oid);
            if (fileOids == null) {
                fileOids = remoteObjects.fileOids(oid);
            }
            // What the remote already has need not be in the cache (it may have been pushed and gc'ed).
            boolean complete = fileOids != null
                    && fileOids.stream()
                            .allMatch(o -> repo.cache.has(o) || remote.db().has(o))
                    && (repo.cache.has(oid) || remote.db().has(oid));
            if (!complete) {
                missing.add(repo.show(t.path()));
                continue;
            }
            files.addAll(fileOids);
            if (Oids.isDir(oid)) {
                dirs.add(oid);
            }
        }
        int n = copy(repo.cache, remote.db(), files, false, "Pushing");
        n += copy(repo.cache, remote.db(), dirs, false, "Pushing");
        return new Result(n, missing);
    }

    Result fetch(List<Tracked> outs) {
        Set<String> files = new LinkedHashSet<>();
        List<String> dirs = new ArrayList<>();
        Objects cached = new Objects(repo.cache);
        for (Tracked t : transferable(outs)) {
            String oid = t.out().md5();
            if (cached.complete(oid)) {
                continue;
            }
            if (!Oids.isDir(oid)) {
                files.add(oid);
                continue;
            }
            DirManifest m = manifest(cached, oid);
            if (m != null) {
                m.entries().forEach(e -> files.add(e.md5()));
                dirs.add(oid);
            }
        }
        int n = copy(remote.db(), repo.cache, files, true, "Fetching");
        // A manifest enters the cache only once all its files did.
        Set<String> completeDirs = new LinkedHashSet<>();
        for (String d : dirs) {
            List<String> members = manifest(cached, d).entries().stream()
                    .map(DirManifest.Entry::md5)
                    .toList();
            if (members.stream().allMatch(repo.cache::has)) {
                completeDirs.add(d);
            }
        }
        n += copy(remote.db(), repo.cache, completeDirs, true, "Fetching");
        List<String> missing = new ArrayList<>();
        for (Tracked t : transferable(outs)) {
            if (!cached.complete(t.out().md5())) {
                missing.add(repo.show(t.path()));
            }
        }
        return new Result(n, missing);
    }

    private static List<Tracked> transferable(List<Tracked> outs) {
        return outs.stream()
                .filter(t ->
                        t.out().md5() != null && t.out().cached() && !t.out().legacy())
                .toList();
    }

    // The manifest from the cache, else from the remote, whose bytes must hash to its name before use.
    private DirManifest manifest(Objects cached, String oid) {
        DirManifest m = cached.manifest(oid);
        if (m != null || !remote.db().has(oid)) {
            return m;
        }
        byte[] bytes;
        try {
            bytes = remote.db().read(oid);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + remote.db().path(oid) + ": " + e.getMessage(), e);
        }
        if (!(Md5.of(bytes) + Oids.DIR_SUFFIX).equals(oid)) {
            throw new DataException("Directory object " + oid + " on remote '" + remote.name() + "' is corrupted;"
                    + " remove it there and push it again.");
        }
        return DirManifest.parse(bytes, oid);
    }

    /** Copies the objects the target lacks, in parallel; objects missing at the source are skipped. */
    private int copy(ObjectDb from, ObjectDb to, Set<String> oids, boolean verify, String label) {
        List<String> todo = oids.stream().filter(o -> !to.has(o)).toList();
        if (todo.isEmpty()) {
            return 0;
        }
        long bytes = todo.stream().mapToLong(o -> size(from, o)).sum();
        AtomicInteger copied = new AtomicInteger();
        int threads = Math.max(1, Math.min(repo.jobs * 4, todo.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reprise-transfer");
            t.setDaemon(true);
            return t;
        });
        try (Progress progress = Progress.start(label, todo.size(), bytes)) {
            List<Future<?>> futures = new ArrayList<>();
            for (String oid : todo) {
                futures.add(pool.submit(() -> {
                    try {
                        to.copyFrom(from, oid, verify, progress::bytes);
                        copied.incrementAndGet();
                    } catch (ObjectDb.MissingObjectException e) {
                        // reported per output by the caller
                    }
                    progress.fileDone();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException(c.getMessage(), c instanceof IOException io ? io : new IOException(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        } finally {
            pool.shutdownNow();
        }
        return copied.get();
    }

    private static long size(ObjectDb db, String oid) {
        try {
            return Files.size(db.path(oid));
        } catch (IOException e) {
            return 0;
        }
    }
}
