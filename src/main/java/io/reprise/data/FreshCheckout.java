package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pull's checkout of outputs absent from the workspace, done while fetching: a small object, once
 * verified and renamed into the cache, is written from the bytes still in memory to the workspace
 * files that hold it, instead of being read back from the cache by the checkout that follows (which
 * still does the rest: objects already cached, large ones). Only where nothing can be overwritten
 * (the output's path did not exist before the fetch) and checkout would copy (cache.type reflink or
 * copy; hardlink and symlink link to the cache object as checkout does). An output that ends up
 * incomplete (objects missing on the remote), or a fetch that fails, has the files written for it
 * removed again: the workspace is left as a fetch then a checkout would leave it.
 */
final class FreshCheckout implements ObjectDb.Delivery {
    private final Repo repo;
    // Each output taken on, with its manifest (null for a file output).
    private final Map<Tracked, DirManifest> outputs = new IdentityHashMap<>();
    // Where each object goes: resolved to a Path only when written, on the fetch's threads.
    private final Map<String, Dest> destsOf = new HashMap<>();
    // Outputs the fetch completed (all their objects in the cache).
    private final Set<Tracked> complete = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    // Objects whose files were (being) written, and those whose files all were.
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    private FreshCheckout(Repo repo) {
        this.repo = repo;
    }

    /** One for a pull into {@code repo}'s workspace; null when checkout there links to the cache. */
    static FreshCheckout forPull(Repo repo) {
        return repo.linker.sharesCacheObjects() ? null : new FreshCheckout(repo);
    }

    /**
     * Takes on output {@code t}, whose objects are about to be fetched, if its path does not exist;
     * {@code manifest} lists a folder output's files (null for a file output). Called before the
     * fetch starts, on one thread.
     */
    void expect(Tracked t, DirManifest manifest) {
        Output o = t.out();
        if (o.legacy() || o.isDir() != (manifest != null) || (!o.isDir() && o.isexec())) {
            return; // 2.x objects are verified by another hash; an executable file needs its mode
        }
        if (outputs.containsKey(t) || Files.exists(t.path(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        outputs.put(t, manifest);
        if (manifest == null) {
            destsOf.merge(o.md5(), new Dest(t.path(), null, null), Dest::andThen);
            return;
        }
        for (DirManifest.Entry e : manifest.entries()) {
            destsOf.merge(e.md5(), new Dest(t.path(), e.relpath(), null), Dest::andThen);
        }
    }

    /** A workspace file for an object: {@code relpath} below {@code root} (null: root itself), and the next. */
    private record Dest(Path root, String relpath, Dest next) {
        Path path() {
            return relpath == null ? root : root.resolve(relpath);
        }

        // Merging a second path for the same object: newest first, order does not matter.
        static Dest andThen(Dest old, Dest added) {
            return new Dest(added.root, added.relpath, old);
        }
    }

    /** The fetch brought every object of {@code t} into the cache. */
    void completed(Tracked t) {
        complete.add(t);
    }

    /** Whether the fetch reported {@code t} complete (its objects need not be looked up again). */
    boolean complete(Tracked t) {
        return complete.contains(t);
    }

    /** Whether {@code t} was taken on: its checkout is {@link #remaining} and "A". */
    boolean covers(Tracked t) {
        return outputs.containsKey(t);
    }

    /**
     * Writes the workspace files holding {@code oid}, now in the cache, and records them as checked
     * out; a file that cannot be written is left for the checkout that follows.
     */
    @Override
    public void deliver(String oid, ByteBuffer bytes) {
        Dest first = destsOf.get(oid);
        if (first == null) {
            return;
        }
        started.add(oid);
        for (Dest d = first; d != null; d = d.next()) {
            Path dest = d.path();
            try {
                repo.linker.write(bytes.duplicate(), dest);
                StateDb.Key key = FileInfo.currentKey(dest);
                if (key != null) {
                    repo.state.put(key, oid);
                }
            } catch (IOException e) {
                // Left to the checkout after the fetch, which reports it as it would have without
                // this: a workspace that cannot be written must not stop the fetch into the cache.
                return;
            }
        }
        written.add(oid);
    }

    /** The files of {@code t} still to check out from the cache, as (object, workspace path) pairs. */
    List<Map.Entry<String, Path>> remaining(Tracked t) {
        DirManifest m = outputs.get(t);
        List<Map.Entry<String, Path>> out = new ArrayList<>();
        if (m == null) {
            if (!written.contains(t.out().md5())) {
                out.add(Map.entry(t.out().md5(), t.path()));
            }
            return out;
        }
        for (DirManifest.Entry e : m.entries()) {
            if (!written.contains(e.md5())) {
                out.add(Map.entry(e.md5(), t.path().resolve(e.relpath())));
            }
        }
        return out;
    }

    /** Removes every file written for the outputs taken on (the fetch failed). */
    void undoAll() {
        for (Tracked t : List.copyOf(outputs.keySet())) {
            undo(t);
        }
    }

    /**
     * Removes the files written for {@code t} (it could not be completed), and the folders that leaves
     * empty; the objects stay in the cache. Nothing else was there: the output's path did not exist.
     */
    void undo(Tracked t) {
        DirManifest m = outputs.remove(t);
        try {
            if (m == null) {
                if (started.contains(t.out().md5())) {
                    Files.deleteIfExists(t.path());
                }
                return;
            }
            // Deepest first, so a folder comes after the folders in it.
            Set<Path> dirs = new TreeSet<>(
                    Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
            for (DirManifest.Entry e : m.entries()) {
                if (started.contains(e.md5())) {
                    Path dest = t.path().resolve(e.relpath());
                    Files.deleteIfExists(dest);
                    for (Path d = dest.getParent(); d != null && d.startsWith(t.path()); d = d.getParent()) {
                        dirs.add(d);
                    }
                }
            }
            for (Path d : dirs) {
                deleteIfEmpty(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot remove what was checked out of " + repo.show(t.path()) + ": " + e.getMessage(), e);
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // something else is in it (or it is gone): left as it is
        }
    }
}
