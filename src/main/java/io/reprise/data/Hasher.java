package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes workspace files on all cores, streaming each in constant memory, and asks the state db first
 * so unchanged files are not read again. With a cache, files are copied into it in the same read.
 */
final class Hasher {
    private final StateDb state;
    private final ObjectDb cache; // null: hash only
    private final int jobs;

    /** A file's md5 and the size of the bytes that produced it. */
    record Hashed(FileInfo file, String md5, long size) {}

    Hasher(StateDb state, ObjectDb cache, int jobs) {
        this.state = state;
        this.cache = cache;
        this.jobs = jobs;
    }

    /** Results in the order of {@code files}. */
    List<Hashed> hash(List<FileInfo> files, String label) {
        long bytes = files.stream().mapToLong(FileInfo::size).sum();
        try (Progress progress = Progress.start(label, files.size(), bytes)) {
            if (files.size() <= 1 || jobs <= 1) {
                List<Hashed> out = new ArrayList<>(files.size());
                for (FileInfo f : files) {
                    out.add(one(f, progress));
                }
                return out;
            }
            return parallel(files, progress);
        }
    }

    private List<Hashed> parallel(List<FileInfo> files, Progress progress) {
        // Largest first, so one big file does not start last and leave the other cores idle.
        List<Integer> order = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> files.get(i).size()).reversed());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, files.size()), r -> {
            Thread t = new Thread(r, "reprise-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Hashed>> futures = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                futures.add(null);
            }
            for (int i : order) {
                FileInfo f = files.get(i);
                futures.set(i, pool.submit(() -> one(f, progress)));
            }
            List<Hashed> out = new ArrayList<>(files.size());
            for (Future<Hashed> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io.getMessage(), io);
        }
        return new IllegalStateException(cause);
    }

    private Hashed one(FileInfo f, Progress progress) {
        try {
            String known = state.get(f.key());
            if (known != null && (cache == null || cache.has(known))) {
                progress.bytes(f.size());
                progress.fileDone();
                return new Hashed(f, known, f.size());
            }
            Md5.Hashed h;
            if (cache != null) {
                h = cache.ingest(f.path(), f.size(), progress::bytes);
            } else {
                try (FileChannel in = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                    h = Md5.stream(in, null, progress::bytes);
                }
            }
            rememberIfUnchanged(f, h);
            progress.fileDone();
            return new Hashed(f, h.md5(), h.size());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataException("'" + f.path() + "' disappeared while it was being read; run the command again.");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + f.path() + ": " + e.getMessage(), e);
        }
    }

    // Only a file that did not change while we read it may be remembered under its stat.
    private void rememberIfUnchanged(FileInfo f, Md5.Hashed h) throws IOException {
        FileInfo after = FileInfo.stat(f.path(), f.relpath());
        if (after != null && after.key().equals(f.key()) && h.size() == f.size()) {
            state.put(f.key(), h.md5());
        }
    }
}
