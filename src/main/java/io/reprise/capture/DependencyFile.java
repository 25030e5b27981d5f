package io.reprise.capture;

/**
 * A lock or dependency file found next to the command.
 *
 * @param path relative to the repository root (or to the working directory outside git)
 * @param sha256 hex digest of the file's bytes
 * @param size bytes
 * @param pinning how exactly it fixes versions
 * @param detail why that verdict, for people
 */
record DependencyFile(String path, String sha256, long size, Pinning pinning, String detail) {

    /** How well a dependency file fixes what gets installed; ordered from best to worst. */
    enum Pinning {
        /** A lock file: exact versions of the whole dependency tree. */
        LOCKED,
        /** Every direct dependency has an exact version; transitive ones may float. */
        PINNED,
        /** Some dependency accepts a range of versions. */
        UNPINNED,
        /** The file was not understood. */
        UNKNOWN;

        @com.fasterxml.jackson.annotation.JsonValue
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
