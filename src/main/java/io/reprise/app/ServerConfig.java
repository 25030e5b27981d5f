package io.reprise.app;

import io.reprise.s3.S3Settings;
import java.nio.file.Path;

/**
 * How a Reprise server listens and where it keeps runs and artifacts.
 *
 * @param artifactsDestination a local folder, or {@code s3://bucket/prefix}
 * @param s3 how to reach S3 when the destination is there (from the environment for {@code reprise
 *     server})
 */
public record ServerConfig(String host, int port, String backendStoreUri, String artifactsDestination, S3Settings s3) {

    /** Artifacts in a local folder. */
    public ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {
        this(host, port, backendStoreUri, artifactsDestination.toString(), S3Settings.defaults());
    }
}
