package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hashes workspace files on all cores, streaming each in constant memory, and asks the state db first
 * so unchanged files are not read again. With a cache, files are copied into it in the same read.
 */
final class Hasher {
    private final StateDb state;
    private final ObjectDb cache; // null: hash only
    private final int jobs;
    private final java.util.concurrent.atomic.AtomicInteger unstable = new java.util.concurrent.atomic.AtomicInteger();

    /** A file's md5 and the size of the bytes that produced it. */
    record Hashed(FileInfo file, String md5, long size) {}

    Hasher(StateDb state, ObjectDb cache, int jobs) {
        this.state = state;
        this.cache = cache;
        this.jobs = jobs;
    }

    /** Results in the order of {@code files}. */
    List<Hashed> hash(List<FileInfo> files, String label) {
        // Files the state db knows are answered here, without a task each: a status of 100,000
        // unchanged files is then lookups only. The rest are read on the pool.
        Hashed[] out = new Hashed[files.size()];
        String[] known = new String[files.size()];
        List<String> knownOids = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            known[i] = state.get(files.get(i).key());
            if (known[i] != null) {
                knownOids.add(known[i]);
            }
        }
        // With a cache, a known file counts only if its object is still there (gc may have removed it).
        java.util.Set<String> gone = cache == null ? java.util.Set.of() : cache.missing(knownOids);
        List<Integer> todo = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            FileInfo f = files.get(i);
            if (known[i] != null && !gone.contains(known[i])) {
                out[i] = new Hashed(f, known[i], f.size());
            } else {
                todo.add(i);
                bytes += f.size();
            }
        }
        if (!todo.isEmpty()) {
            try (Progress progress = Progress.start(label, todo.size(), bytes)) {
                if (todo.size() == 1 || jobs <= 1) {
                    for (int i : todo) {
                        out[i] = one(files.get(i), progress);
                    }
                } else {
                    parallel(files, todo, out, progress);
                }
            }
        }
        return java.util.Arrays.asList(out);
    }

    /** False when a file's stat changed while it was read (its md5 may not be that of the stat seen). */
    boolean allStable() {
        return unstable.get() == 0;
    }

    private void parallel(List<FileInfo> files, List<Integer> todo, Hashed[] out, Progress progress) {
        // Largest first, so one big file does not start last and leave the other cores idle.
        todo.sort(Comparator.comparingLong((Integer i) -> files.get(i).size()).reversed());
        try {
            Parallel.forEach(jobs, todo.size(), "reprise-hash", k -> {
                int i = todo.get(k);
                out[i] = one(files.get(i), progress);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private Hashed one(FileInfo f, Progress progress) {
        try {
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
        if (f.key().equals(FileInfo.currentKey(f.path())) && h.size() == f.size()) {
            state.put(f.key(), h.md5());
        } else {
            unstable.incrementAndGet();
        }
    }
}
