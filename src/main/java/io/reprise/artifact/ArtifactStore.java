package io.reprise.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where the server keeps artifacts: paths are relative to the store's root and validated by {@link
 * SafePath} (no traversal, no absolute paths). Writes are atomic: a reader sees the old content or
 * the whole new one, never part of an upload.
 */
public interface ArtifactStore extends AutoCloseable {
    /** One entry of a listing: the path relative to the store root, and the size of files. */
    record Entry(String path, boolean isDir, long size) {}

    /** An artifact opened for reading: its base name, size in bytes and content; close it when done. */
    record Download(String name, long size, InputStream content) implements Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /** Stores the stream at {@code relPath}, replacing what is there; streamed, never held whole. */
    void put(String relPath, InputStream content);

    /** Opens the artifact at {@code relPath}: RESOURCE_DOES_NOT_EXIST when absent, INVALID for a folder. */
    Download open(String relPath);

    /** The direct children of a folder, sorted by name; empty when the folder does not exist. */
    List<Entry> list(String relDir);

    /** Deletes a file or a folder tree; deleting what is not there succeeds, as in MLflow. */
    void delete(String relPath);

    /** Where the artifacts live, for people: an absolute folder or an s3:// URL. */
    String location();

    @Override
    default void close() {}
}
