package io.reprise.artifact;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.s3.S3Clients;
import io.reprise.s3.S3Errors;
import io.reprise.s3.S3Location;
import io.reprise.s3.S3Settings;
import io.reprise.s3.S3Upload;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts as objects under {@code s3://bucket/prefix}. Keys are built only from paths that {@link
 * SafePath} accepted, so no client path reaches outside the prefix. S3 makes an object visible only
 * once its upload completed, which gives the same atomicity as the local store's temp + rename.
 */
final class S3ArtifactStore implements ArtifactStore {
    private static final int MAX_KEY_BYTES = 1024; // S3's limit
    private static final int DELETE_BATCH = 1000; // DeleteObjects' limit
    private static final int NOT_IMPLEMENTED = 501;

    private final S3Client s3;
    private final S3Location root;
    private final S3Settings settings;
    private volatile boolean multiDelete = true;

    private S3ArtifactStore(S3Client s3, S3Location root, S3Settings settings) {
        this.s3 = s3;
        this.root = root;
        this.settings = settings;
    }

    /** Connects and checks that the bucket can be listed, so a bad setting fails at start, not at upload. */
    static S3ArtifactStore open(S3Location root, S3Settings settings) {
        S3Client s3;
        try {
            s3 = S3Clients.create(settings);
        } catch (SdkException | IllegalArgumentException e) {
            throw MlflowException.invalid("Cannot use %s for artifacts: %s", root, e.getMessage());
        }
        try {
            s3.listObjectsV2(b -> b.bucket(root.bucket()).prefix(root.key("")).maxKeys(1));
        } catch (SdkException e) {
            s3.close();
            throw MlflowException.invalid(
                    "Cannot use %s for artifacts: %s", root, S3Errors.describe(e, root, settings));
        }
        return new S3ArtifactStore(s3, root, settings);
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void put(String relPath, InputStream content) {
        String rel = SafePath.relative(relPath);
        if (rel.isEmpty()) {
            throw SafePath.invalid();
        }
        String key = root.key(rel);
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (name.startsWith(LocalArtifactStore.TEMP_PREFIX)) {
            throw MlflowException.invalid(
                    "Invalid artifact file name: '%s'. Artifact names starting with '%s' are reserved.",
                    name, LocalArtifactStore.TEMP_PREFIX);
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES - 1) {
            throw MlflowException.invalid("Artifact path too long: an S3 key may have at most %d bytes", MAX_KEY_BYTES);
        }
        try {
            if (isFolder(key)) {
                throw MlflowException.invalid("Cannot write artifact '%s': a folder of that name exists", rel);
            }
            S3Upload.upload(s3, root.bucket(), key, content);
        } catch (UncheckedIOException e) {
            // a client that hangs up mid-upload is the client's problem, not a server error
            throw new MlflowException(
                    ErrorCode.BAD_REQUEST,
                    String.format(
                            "The upload of '%s' was cut short: %s",
                            rel, e.getCause().getMessage()));
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public Download open(String relPath) {
        String rel = SafePath.relative(relPath);
        String key = root.key(rel);
        try {
            if (rel.isEmpty() || isFolder(key)) {
                throw MlflowException.invalid("Artifact path refers to a directory, not a file: '%s'", rel);
            }
            ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(root.bucket()).key(key));
            return new Download(
                    rel.substring(rel.lastIndexOf('/') + 1), in.response().contentLength(), in);
        } catch (NoSuchKeyException e) {
            throw MlflowException.notFound("No such artifact: '%s'", rel);
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public List<Entry> list(String relDir) {
        String rel = SafePath.relative(relDir);
        String dirKey = root.key(rel);
        String prefix = dirKey.isEmpty() ? "" : dirKey + "/";
        List<Entry> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(
                    b -> b.bucket(root.bucket()).prefix(prefix).delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name =
                            p.prefix().substring(prefix.length(), p.prefix().length() - 1);
                    out.add(new Entry(join(rel, name), true, 0));
                }
                for (S3Object o : page.contents()) {
                    String name = o.key().substring(prefix.length());
                    // "dir/" markers that consoles create, and uploads in flight elsewhere, are no files
                    if (!name.isEmpty() && !name.startsWith(LocalArtifactStore.TEMP_PREFIX)) {
                        out.add(new Entry(join(rel, name), false, o.size()));
                    }
                }
            }
        } catch (SdkException e) {
            throw failure(e);
        }
        out.sort(Comparator.comparing(Entry::path));
        return out;
    }

    @Override
    public void delete(String relPath) {
        String rel = SafePath.relative(relPath);
        if (rel.isEmpty()) {
            throw SafePath.invalid();
        }
        String key = root.key(rel);
        try {
            s3.deleteObject(b -> b.bucket(root.bucket()).key(key));
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (ListObjectsV2Response page :
                    s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(key + "/"))) {
                for (S3Object o : page.contents()) {
                    batch.add(ObjectIdentifier.builder().key(o.key()).build());
                    if (batch.size() == DELETE_BATCH) {
                        deleteBatch(batch);
                    }
                }
            }
            deleteBatch(batch);
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<ObjectIdentifier> keys = List.copyOf(batch);
        batch.clear();
        if (!multiDelete) {
            keys.forEach(k -> s3.deleteObject(b -> b.bucket(root.bucket()).key(k.key())));
            return;
        }
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(
                    b -> b.bucket(root.bucket()).delete(d -> d.objects(keys).quiet(true)));
        } catch (S3Exception e) {
            if (e.statusCode() != NOT_IMPLEMENTED) {
                throw e;
            }
            // some S3-compatible stores (s3proxy among them) lack DeleteObjects: one request per key then
            multiDelete = false;
            batch.addAll(keys);
            deleteBatch(batch);
            return;
        }
        if (response.hasErrors() && !response.errors().isEmpty()) {
            S3Error first = response.errors().get(0);
            throw new MlflowException(
                    ErrorCode.INTERNAL_ERROR,
                    String.format(
                            "Cannot delete %d artifacts in %s, e.g. '%s': %s",
                            response.errors().size(), root, first.key(), first.message()));
        }
    }

    private boolean isFolder(String key) {
        return !s3.listObjectsV2(b -> b.bucket(root.bucket()).prefix(key + "/").maxKeys(1))
                .contents()
                .isEmpty();
    }

    private MlflowException failure(SdkException e) {
        return new MlflowException(ErrorCode.INTERNAL_ERROR, "Artifact store: " + S3Errors.describe(e, root, settings));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    @Override
    public void close() {
        s3.close();
    }
}
