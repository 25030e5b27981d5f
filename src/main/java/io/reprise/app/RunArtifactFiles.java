package io.reprise.app;

import io.reprise.artifact.ArtifactStore;
import io.reprise.artifact.ProxiedRoots;
import io.reprise.model.MlflowException;
import io.reprise.model.RunInfo;
import io.reprise.policy.ArtifactFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every file of a run whose artifacts this server stores ({@code mlflow-artifacts:} URIs), for the
 * policy's artifact requirements. Listing goes through the store, so its path checks apply.
 */
final class RunArtifactFiles implements ArtifactFiles {
    private static final int MAX_FILES = 100_000;

    private final ArtifactStore store;

    RunArtifactFiles(ArtifactStore store) {
        this.store = store;
    }

    @Override
    public Optional<List<String>> list(RunInfo run) {
        Optional<String> root = ProxiedRoots.of(run.artifactUri());
        if (root.isEmpty()) {
            return Optional.empty();
        }
        List<String> files = new ArrayList<>();
        try {
            walk(root.get(), root.get().length() + 1, files);
        } catch (MlflowException e) {
            return Optional.empty(); // a root the store refuses holds nothing we can vouch for
        }
        return Optional.of(files);
    }

    private void walk(String dir, int prefix, List<String> out) {
        for (ArtifactStore.Entry e : store.list(dir)) {
            if (out.size() >= MAX_FILES) {
                return;
            }
            if (e.isDir()) {
                walk(e.path(), prefix, out);
            } else {
                out.add(e.path().substring(prefix));
            }
        }
    }
}
