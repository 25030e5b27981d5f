package io.reprise.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Lists a folder under a logged model's artifact URI as MLflow's ListLoggedModelArtifacts answers
 * ({@code root_uri}, {@code files}); the artifact side of the server provides it.
 */
@FunctionalInterface
public interface ModelArtifactListing {
    ObjectNode list(String owner, String artifactUri, String relativeDir);
}
