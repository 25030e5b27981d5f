package io.reprise.artifact;

import java.util.Optional;

/**
 * Where a run's {@code mlflow-artifacts:} root points in this server's artifact store. Kept apart from
 * {@link ArtifactApi} so that clients (reprise run, reproduce) can use it without loading the server.
 */
public final class ProxiedRoots {
    /** The scheme of run artifact URIs that the server stores itself. */
    public static final String SCHEME = "mlflow-artifacts:";

    private ProxiedRoots() {}

    /**
     * The store path of a run's artifact root when this server holds it: "mlflow-artifacts:/1/abc/artifacts"
     * (or with //host:port) is "1/abc/artifacts"; other roots (s3://, a local path) are not ours.
     */
    public static Optional<String> of(String artifactUri) {
        if (artifactUri == null || !artifactUri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String path = artifactUri.substring(SCHEME.length());
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path.isEmpty() ? Optional.empty() : Optional.of(path);
    }
}
