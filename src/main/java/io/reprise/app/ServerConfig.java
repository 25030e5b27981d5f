package io.reprise.app;

import java.nio.file.Path;

/**
 * How a Reprise server listens, where it keeps runs and artifacts, and the team policy file it
 * enforces ({@code policy} null: none).
 */
public record ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination, Path policy) {
    public ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {
        this(host, port, backendStoreUri, artifactsDestination, null);
    }
}
