package io.reprise.web;

import io.reprise.artifact.ArtifactStore;
import io.reprise.artifact.SafePath;
import io.reprise.model.MlflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A run's artifacts as this server stores them ({@code mlflow-artifacts:} roots). Paths from the
 * query string go through {@link SafePath}, then the store's own checks.
 */
final class Artifacts {
    /** What a preview reads at most. */
    static final int PREVIEW_BYTES = 256 * 1024;
    /** Images are inlined as data: URIs up to this size. */
    static final int IMAGE_BYTES = 2 * 1024 * 1024;

    private final ArtifactStore store;

    Artifacts(ArtifactStore store) {
        this.store = store;
    }

    /** The first bytes of a file, its whole size, and whether there was more than was read. */
    static final class Head {
        private final byte[] bytes;
        private final long size;
        private final boolean cut;

        Head(byte[] bytes, long size, boolean cut) {
            this.bytes = bytes.clone();
            this.size = size;
            this.cut = cut;
        }

        byte[] bytes() {
            return bytes.clone();
        }

        long size() {
            return size;
        }

        boolean cut() {
            return cut;
        }
    }

    /** The entries of a folder, paths relative to the run's root. */
    List<ArtifactStore.Entry> list(String root, String dir) {
        String rel = SafePath.relative(dir);
        String full = rel.isEmpty() ? root : root + "/" + rel;
        return store.list(full).stream()
                .map(e -> new ArtifactStore.Entry(e.path().substring(root.length() + 1), e.isDir(), e.size()))
                .toList();
    }

    /** Up to {@code max} bytes of a file; empty when it does not exist. */
    Optional<Head> head(String root, String path, int max) {
        String rel = SafePath.relative(path);
        if (rel.isEmpty()) {
            return Optional.empty();
        }
        try (ArtifactStore.Download d = store.open(root + "/" + rel)) {
            InputStream in = d.content();
            byte[] bytes = in.readNBytes(max);
            boolean cut = bytes.length == max && in.read() >= 0;
            return Optional.of(new Head(bytes, d.size(), cut));
        } catch (MlflowException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
