package io.reprise.data;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The objects of a remote, laid out as DVC lays them out ({@code <root>/files/md5/ab/cdef...}) in a
 * local folder, under an S3 prefix or at an HTTP URL. An object appears under its final name only
 * complete; what is downloaded is hashed on the way in and refused if it does not match its name.
 */
sealed interface RemoteDb extends ObjectSource, AutoCloseable permits LocalRemoteDb, S3RemoteDb, HttpRemoteDb {
    /** Whether objects can be pushed here (HTTP remotes are read-only). */
    boolean writable();

    /** Sends the cache's object to the remote; MissingObjectException when the cache lacks it. */
    void upload(ObjectDb cache, String oid, LongConsumer progress) throws IOException;

    /** Brings the object into the cache, verified; MissingObjectException when the remote lacks it. */
    void download(String oid, ObjectDb cache, LongConsumer progress) throws IOException;

    /**
     * Which of {@code oids} the remote has, when one listing answers that more cheaply than a request
     * per object; null to have the caller ask per object.
     */
    default Set<String> presentAmong(Collection<String> oids) throws IOException {
        return null;
    }

    /** The object's size when cheap to know (a local file), else 0: for progress only. */
    default long sizeHint(String oid) {
        return 0;
    }

    @Override
    default void close() {}
}
