package io.reprise.policy;

import io.reprise.model.RunInfo;
import java.util.List;
import java.util.Optional;

/**
 * Lists every file under a run's artifact root, as paths relative to it ("configs/train.yaml").
 * Empty when the artifacts are somewhere this server cannot list. Wired in the server, so the policy
 * does not depend on any artifact store.
 */
@FunctionalInterface
public interface ArtifactFiles {
    Optional<List<String>> list(RunInfo run);
}
