package io.reprise.data;

import java.io.IOException;

/** A store whose objects can be looked up and read: the cache, or a remote. */
interface ObjectSource {
    /** True when the object is there. */
    boolean has(String oid) throws IOException;

    /** The object's bytes (small objects: .dir manifests); NoSuchFileException when absent. */
    byte[] read(String oid) throws IOException;

    /** Where the store is, for messages. */
    String location();
}
