package io.reprise.data;

import io.reprise.s3.S3Clients;
import io.reprise.s3.S3Errors;
import io.reprise.s3.S3Location;
import io.reprise.s3.S3Settings;
import io.reprise.s3.S3Upload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A DVC remote on S3 ({@code s3://bucket/path}), configured as dvc-s3 reads {@code .dvc/config}:
 * {@code endpointurl}, {@code region}, {@code profile}, {@code access_key_id}, {@code
 * secret_access_key}, {@code session_token}; what is not set comes from the usual AWS variables and
 * profile. S3 failures surface as IOExceptions with a one-line reason, so transfers retry them.
 */
final class S3RemoteDb implements RemoteDb {
    private static final int NOT_FOUND = 404;
    private static final int NOT_IMPLEMENTED = 501;
    private static final int LIST_THRESHOLD = 64;
    private static final int KEYS_PER_LIST = 1000;

    private final S3Client s3;
    private final S3Location root;
    private final S3Settings settings;
    // "files/md5" (DVC 3.x), or "" for the 2.x layout's view, which leaves the client to its owner.
    private final String objectsDir;
    private volatile boolean bucketSeen;

    private S3RemoteDb(S3Client s3, S3Location root, S3Settings settings, String objectsDir) {
        this.s3 = s3;
        this.root = root;
        this.settings = settings;
        this.objectsDir = objectsDir;
    }

    @Override
    public RemoteDb legacy() {
        return new S3RemoteDb(s3, root, settings, "");
    }

    static S3RemoteDb open(String name, String url, Map<String, String> options, Map<String, String> env) {
        S3Location root;
        try {
            root = S3Location.parse(url);
        } catch (IllegalArgumentException e) {
            throw new DataException("Remote '" + name + "': " + e.getMessage() + ".");
        }
        S3Settings settings = settings(options, env);
        try {
            return new S3RemoteDb(S3Clients.create(settings), root, settings, "files/md5");
        } catch (SdkException | IllegalArgumentException e) {
            throw new DataException("Remote '" + name + "' (" + url + "): " + e.getMessage() + ".");
        }
    }

    // dvc-s3's option names; unset ones fall back to the environment as boto3 does.
    static S3Settings settings(Map<String, String> options, Map<String, String> env) {
        return new S3Settings(
                first(options.get("endpointurl"), env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL")),
                first(options.get("region"), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")),
                first(options.get("profile"), env.get("AWS_PROFILE")),
                options.get("access_key_id"),
                options.get("secret_access_key"),
                options.get("session_token"));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private String key(String oid) {
        return root.key(relative(oid));
    }

    private String relative(String oid) {
        return objectsDir.isEmpty() ? Oids.relativePath(oid) : objectsDir + "/" + Oids.relativePath(oid);
    }

    // The key prefix the two-letter folders are under ("" at the bucket's top).
    private String objectsPrefix() {
        String base = root.key(objectsDir);
        return base.isEmpty() ? "" : base + "/";
    }

    @Override
    public boolean has(String oid) throws IOException {
        try {
            s3.headObject(b -> b.bucket(root.bucket()).key(key(oid)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND && !isMissingBucket()) {
                return false; // HEAD answers carry no error code: a bare 404 is a missing key
            }
            throw failure(e);
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    // A HEAD on a missing bucket is also a bare 404: ask about the bucket, once.
    private boolean isMissingBucket() {
        if (bucketSeen) {
            return false;
        }
        try {
            s3.headBucket(b -> b.bucket(root.bucket()));
        } catch (S3Exception bucket) {
            if (bucket.statusCode() == NOT_FOUND) {
                return true;
            }
            // no permission to ask (403): the objects' answers are all we know
        }
        bucketSeen = true;
        return false;
    }

    /**
     * DVC's heuristic: estimate the remote's size from one of its 256 shards; when listing the
     * two-letter folders that hold the objects takes fewer requests (1,000 keys each) than asking
     * for each object, list them.
     */
    @Override
    public Set<String> presentAmong(Collection<String> oids) throws IOException {
        if (oids.size() < LIST_THRESHOLD) {
            return null;
        }
        String objects = objectsPrefix();
        Map<String, List<String>> byFolder = new java.util.TreeMap<>();
        for (String oid : oids) {
            byFolder.computeIfAbsent(oid.substring(0, 2), k -> new ArrayList<>())
                    .add(oid);
        }
        try {
            long shard = count(objects + byFolder.keySet().iterator().next() + "/");
            long listRequests = byFolder.size() * (1 + shard / KEYS_PER_LIST);
            if (listRequests >= oids.size()) {
                return null;
            }
            Set<String> wanted = new HashSet<>(oids);
            Set<String> present = new HashSet<>();
            for (String folder : byFolder.keySet()) {
                String prefix = objects + folder + "/";
                for (ListObjectsV2Response page :
                        s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(prefix))) {
                    for (S3Object o : page.contents()) {
                        String oid = folder + o.key().substring(prefix.length());
                        if (wanted.contains(oid)) {
                            present.add(oid);
                        }
                    }
                }
            }
            return present;
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    /** Which of {@code oids} the bucket lacks: a listing by folder when cheaper, else a HEAD each. */
    @Override
    public Set<String> missing(Collection<String> oids) throws IOException {
        Set<String> present = presentAmong(oids);
        Set<String> out = new LinkedHashSet<>();
        for (String oid : oids) {
            if (present != null ? !present.contains(oid) : !has(oid)) {
                out.add(oid);
            }
        }
        return out;
    }

    @Override
    public List<String> list(boolean legacy) throws IOException {
        // 3.x objects are below files/md5/; 2.x ones directly below the remote's path (ab/cdef...)
        String base = legacy ? root.key("") : root.key("files/md5");
        String prefix = base.isEmpty() ? "" : base + "/";
        List<String> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page :
                    s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(prefix))) {
                for (S3Object o : page.contents()) {
                    String rel = o.key().substring(prefix.length());
                    int slash = rel.indexOf('/');
                    if (slash == 2 && rel.indexOf('/', slash + 1) < 0) {
                        String oid = rel.substring(0, 2) + rel.substring(3);
                        if (Oids.isValid(oid)) {
                            out.add(oid);
                        }
                    }
                }
            }
            return out;
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public void remove(List<String> oids, boolean legacy) throws IOException {
        List<String> keys = oids.stream()
                .map(oid -> legacy ? root.key(Oids.relativePath(oid)) : key(oid))
                .toList();
        try {
            for (int from = 0; from < keys.size(); from += KEYS_PER_LIST) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LIST));
                if (!deleteBatch(batch)) {
                    for (String k : batch) {
                        s3.deleteObject(b -> b.bucket(root.bucket()).key(k));
                    }
                }
            }
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    // One DeleteObjects request (Content-MD5 for its body, as S3-compatible stores expect); false
    // when the store does not implement it (s3proxy answers 501), so the caller deletes one by one.
    private boolean deleteBatch(List<String> keys) throws IOException {
        List<ObjectIdentifier> ids = keys.stream()
                .map(k -> ObjectIdentifier.builder().key(k).build())
                .toList();
        DeleteObjectsResponse r;
        try {
            r = s3.deleteObjects(b -> b.bucket(root.bucket())
                    .delete(d -> d.objects(ids).quiet(true))
                    .overrideConfiguration(o -> o.addPlugin(LegacyMd5Plugin.create())));
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_IMPLEMENTED) {
                return false;
            }
            throw e;
        }
        if (r.hasErrors() && !r.errors().isEmpty()) {
            var first = r.errors().getFirst();
            throw new IOException("cannot delete " + first.key() + " from " + location() + ": " + first.code() + " "
                    + first.message());
        }
        return true;
    }

    @Override
    public String where(String oid, boolean legacy) {
        return location() + "/" + (legacy ? "" : "files/md5/") + Oids.relativePath(oid);
    }

    private long count(String prefix) {
        long n = 0;
        for (ListObjectsV2Response page :
                s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(prefix))) {
            n += page.keyCount() == null ? page.contents().size() : page.keyCount();
        }
        return n;
    }

    @Override
    public byte[] read(String oid) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(root.bucket()).key(key(oid)))
                    .asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(location() + "/" + relative(oid));
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void upload(ObjectDb cache, String oid, LongConsumer progress) throws IOException {
        Path file = cache.path(oid);
        try {
            long size = Files.size(file);
            if (size < S3Upload.PART_SIZE) {
                // one request straight from the file: no buffer, and the SDK can replay it on a retry
                s3.putObject(b -> b.bucket(root.bucket()).key(key(oid)), RequestBody.fromFile(file));
                progress.accept(size);
                return;
            }
            try (InputStream in = new CountingInputStream(Files.newInputStream(file), progress)) {
                S3Upload.upload(s3, root.bucket(), key(oid), in);
            }
        } catch (NoSuchFileException e) {
            throw new ObjectDb.MissingObjectException(oid, cache.location());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public void download(String oid, ObjectDb cache, LongConsumer progress) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(b -> b.bucket(root.bucket()).key(key(oid)))) {
            cache.receive(oid, Channels.newChannel(in), location(), progress);
        } catch (NoSuchKeyException e) {
            throw new ObjectDb.MissingObjectException(oid, location());
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    private IOException failure(SdkException e) {
        return new IOException(S3Errors.describe(e, root, settings), e);
    }

    @Override
    public void close() {
        if (!objectsDir.isEmpty()) {
            s3.close();
        }
    }
}
