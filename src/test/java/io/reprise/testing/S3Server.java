package io.reprise.testing;

import io.reprise.s3.S3Clients;
import io.reprise.s3.S3Settings;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (s3proxy over jclouds' in-memory blob store) on a free loopback port,
 * with signature checking on. Use as {@code @RegisterExtension static final S3Server s3 = new
 * S3Server();}: one server per test class, a fresh bucket per test through {@link #createBucket}.
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String ACCESS_KEY = "reprise-test-key";
    public static final String SECRET_KEY = "reprise-test-secret";
    public static final String REGION = "us-east-1";

    private S3Proxy proxy;
    private BlobStoreContext context;
    private S3Client client;
    private int buckets;

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        close();
    }

    /** Starts the server (done by the extension; call it yourself when not used as one). */
    public S3Server start() throws Exception {
        Properties props = new Properties();
        context = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .overrides(props)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        client = S3Clients.create(settings());
        return this;
    }

    /** The endpoint URL, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Settings that reach this server with its static credentials. */
    public S3Settings settings() {
        return new S3Settings(endpoint(), REGION, null, ACCESS_KEY, SECRET_KEY, null);
    }

    /**
     * Environment variables that point an AWS client (the SDK, boto3, dvc-s3, a reprise process) at
     * this server; merge them over a child process's environment.
     */
    public Map<String, String> env() {
        return Map.of(
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_REGION", REGION,
                "AWS_DEFAULT_REGION", REGION,
                "AWS_ENDPOINT_URL", endpoint(),
                "MLFLOW_S3_ENDPOINT_URL", endpoint());
    }

    /** A client for assertions on what the server holds. */
    public S3Client client() {
        return client;
    }

    /** Stores small objects straight in the blob store, without HTTP: quick seeding of many keys. */
    public void seed(String bucket, java.util.Collection<String> keys, String content) {
        var store = context.getBlobStore();
        for (String key : keys) {
            store.putBlob(bucket, store.blobBuilder(key).payload(content).build());
        }
    }

    /** Creates an empty bucket with a fresh name and returns the name. */
    public synchronized String createBucket() {
        String name = "bucket-" + (++buckets) + "-" + Long.toHexString(System.nanoTime());
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        if (context != null) {
            context.close();
        }
    }
}
