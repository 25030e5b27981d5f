package io.reprise.capture;

/**
 * A file given with {@code --config}.
 *
 * @param path as shown: relative to the repository root when inside it, else absolute
 * @param sha256 hex digest of its bytes when the run started
 * @param size bytes
 * @param artifact where its copy was logged
 */
record ConfigFile(String path, String sha256, long size, String artifact) {}
