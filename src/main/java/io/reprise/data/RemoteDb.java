package io.reprise.data;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The objects of a remote, laid out as DVC lays them out ({@code <root>/files/md5/ab/cdef...}) in a
 * local folder, under an S3 prefix or at an HTTP URL. An object appears under its final name only
 * complete; what is downloaded is hashed on the way in and refused if it does not match its name.
 */
sealed interface RemoteDb extends ObjectSource, AutoCloseable permits LocalRemoteDb, S3RemoteDb, HttpRemoteDb {
    /**
     * The same remote in DVC 2.x's layout ({@code <root>/ab/cdef...}, objects named by md5-dos2unix),
     * where dvc 3 pushes and fetches the objects of 2.x entries. Shares this one's connection: close
     * this one, not the view.
     */
    RemoteDb legacy();

    /** Whether objects can be pushed here (HTTP remotes are read-only). */
    boolean writable();

    /** Sends the cache's object to the remote; MissingObjectException when the cache lacks it. */
    void upload(ObjectDb cache, String oid, LongConsumer progress) throws IOException;

    /** Brings the object into the cache, verified; MissingObjectException when the remote lacks it. */
    void download(String oid, ObjectDb cache, LongConsumer progress) throws IOException;

    /**
     * {@link #download(String, ObjectDb, LongConsumer)}, handing the object's bytes to {@code delivery}
     * once stored when they were held in memory on the way (a local remote's small objects).
     */
    default void download(String oid, ObjectDb cache, LongConsumer progress, ObjectDb.Delivery delivery)
            throws IOException {
        download(oid, cache, progress);
    }

    /**
     * Which of {@code oids} the remote has, when one listing answers that more cheaply than a request
     * per object; null to have the caller ask per object.
     */
    default Set<String> presentAmong(Collection<String> oids) throws IOException {
        return null;
    }

    /**
     * Every object id in the remote: in DVC 3.x's layout, or with {@code legacy} in 2.x's
     * ({@code <root>/ab/cdef...}). For gc -c; a remote that cannot be listed refuses.
     */
    default List<String> list(boolean legacy) throws IOException {
        throw new DataException("Objects cannot be listed or removed on " + location()
                + " (an HTTP remote is read-only); run gc without -c/--cloud or --not-in-remote.");
    }

    /** Deletes objects (gc -c); see {@link #list}. */
    default void remove(List<String> oids, boolean legacy) throws IOException {
        list(legacy);
    }

    /** Where an object is, for what gc prints. */
    default String where(String oid, boolean legacy) {
        return location() + "/" + (legacy ? "" : "files/md5/") + Oids.relativePath(oid);
    }

    /** The object's size when cheap to know (a local file), else 0: for progress only. */
    default long sizeHint(String oid) {
        return 0;
    }

    @Override
    default void close() {}
}
