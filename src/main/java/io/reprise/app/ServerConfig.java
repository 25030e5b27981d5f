package io.reprise.app;

import io.reprise.s3.S3Settings;
import java.nio.file.Path;

/**
 * How a Reprise server listens, where it keeps runs and artifacts, and the team policy file it
 * enforces.
 *
 * @param artifactsDestination a local folder, or {@code s3://bucket/prefix}
 * @param s3 how to reach S3 when the destination is there (from the environment for {@code reprise
 *     server})
 * @param policy the policy file; null: none
 */
public record ServerConfig(
        String host, int port, String backendStoreUri, String artifactsDestination, S3Settings s3, Path policy) {

    /** Artifacts in a local folder, no policy. */
    public ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {
        this(host, port, backendStoreUri, artifactsDestination, null);
    }

    /** Artifacts in a local folder, with a policy file (null: none). */
    public ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination, Path policy) {
        this(host, port, backendStoreUri, artifactsDestination.toString(), S3Settings.defaults(), policy);
    }
}
