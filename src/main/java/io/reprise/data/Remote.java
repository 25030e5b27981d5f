package io.reprise.data;

import io.reprise.s3.S3Location;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A configured remote: a local path, {@code s3://bucket/path}, or {@code http(s)://} for reading. As an
 * {@link ObjectSource} its lookups and reads are retried on I/O errors.
 */
record Remote(String name, RemoteDb db) implements ObjectSource, AutoCloseable {

    static Remote resolve(Repo repo, String requested) {
        String name = name(repo, requested);
        return new Remote(name, open(repo, name, repo.config.remotes().get(name)));
    }

    /** The name of the remote {@code requested} (null: the default), checked to exist. */
    static String name(Repo repo, String requested) {
        String name = requested != null ? requested : repo.config.defaultRemote();
        if (name == null) {
            throw new DataException("No remote given and no default remote set; add one with"
                    + " 'reprise data remote add -d <name> <path>' or pass -r <name>.");
        }
        String url = repo.config.remotes().get(name);
        if (url == null) {
            throw new DataException("Remote '" + name + "' does not exist; list them with 'reprise data remote list'.");
        }
        return name;
    }

    // The AWS SDK is loaded only here, and only for an s3:// remote.
    private static RemoteDb open(Repo repo, String name, String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (S3Location.isS3(url)) {
            return S3RemoteDb.open(name, url, repo.config.remoteOptions(name), System.getenv());
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return HttpRemoteDb.open(name, url, repo.config.remoteOptions(name));
        }
        if (DvcConfig.isUrl(url) && !lower.startsWith("file://")) {
            throw new DataException("Remote '" + name + "' is " + url
                    + ": only local, s3:// and http(s):// remotes are supported; use dvc for this remote.");
        }
        Path root = lower.startsWith("file://") ? Path.of(URI.create(url)) : repo.config.resolvePath(url);
        return new LocalRemoteDb(new ObjectDb(root));
    }

    /** This remote in DVC 2.x's layout, for 2.x entries; not to be closed (this one owns the connection). */
    Remote legacy() {
        return new Remote(name, db.legacy());
    }

    @Override
    public boolean has(String oid) throws IOException {
        return Retries.run(name, oid, () -> db.has(oid));
    }

    @Override
    public java.util.Set<String> missing(java.util.Collection<String> oids) throws IOException {
        return Retries.run(name, "lookup", () -> db.missing(oids));
    }

    @Override
    public byte[] read(String oid) throws IOException {
        return Retries.run(name, oid, () -> db.read(oid));
    }

    @Override
    public String location() {
        return db.location();
    }

    @Override
    public void close() {
        db.close();
    }
}
