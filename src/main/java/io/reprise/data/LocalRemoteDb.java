package io.reprise.data;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongConsumer;

/** A remote in a local folder (or a mounted share): an {@link ObjectDb} like the cache. */
record LocalRemoteDb(ObjectDb db) implements RemoteDb {
    @Override
    public boolean has(String oid) {
        return db.has(oid);
    }

    @Override
    public java.util.Set<String> missing(java.util.Collection<String> oids) {
        return db.missing(oids);
    }

    @Override
    public byte[] read(String oid) throws IOException {
        return db.read(oid);
    }

    @Override
    public String location() {
        return db.location();
    }

    @Override
    public RemoteDb legacy() {
        return new LocalRemoteDb(ObjectDb.legacy(db.root()));
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void upload(ObjectDb cache, String oid, LongConsumer progress) throws IOException {
        db.copyFrom(cache, oid, false, progress);
    }

    @Override
    public void download(String oid, ObjectDb cache, LongConsumer progress) throws IOException {
        cache.copyFrom(db, oid, true, progress);
    }

    @Override
    public void download(String oid, ObjectDb cache, LongConsumer progress, ObjectDb.Delivery delivery)
            throws IOException {
        cache.copyFrom(db, oid, true, progress, delivery);
    }

    @Override
    public java.util.List<String> list(boolean legacy) throws IOException {
        return store(legacy).list();
    }

    @Override
    public void remove(java.util.List<String> oids, boolean legacy) throws IOException {
        for (String oid : oids) {
            store(legacy).remove(oid);
        }
    }

    @Override
    public String where(String oid, boolean legacy) {
        return store(legacy).path(oid).toString();
    }

    private ObjectDb store(boolean legacy) {
        return legacy ? ObjectDb.legacy(db.root()) : db;
    }

    @Override
    public long sizeHint(String oid) {
        try {
            return Files.size(db.path(oid));
        } catch (IOException e) {
            return 0;
        }
    }
}
