package io.reprise.data;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** A store whose objects can be looked up and read: the cache, or a remote. */
interface ObjectSource {
    /** True when the object is there. */
    boolean has(String oid) throws IOException;

    /** The object's bytes (small objects: .dir manifests); NoSuchFileException when absent. */
    byte[] read(String oid) throws IOException;

    /** Which of {@code oids} the store lacks. */
    default Set<String> missing(Collection<String> oids) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String oid : oids) {
            if (!has(oid)) {
                out.add(oid);
            }
        }
        return out;
    }

    /** Where the store is, for messages. */
    String location();
}
