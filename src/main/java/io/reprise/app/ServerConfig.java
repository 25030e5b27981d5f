package io.reprise.app;

import java.nio.file.Path;

/** How a Reprise server listens and where it keeps runs and artifacts. */
public record ServerConfig(String host, int port, String backendStoreUri, Path artifactsDestination) {}
