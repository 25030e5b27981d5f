package io.reprise.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How well a dependency file fixes what gets installed, as {@code reprise run} records it in the
 * manifest: the same verdicts for {@code reprise audit}.
 */
public final class DependencyPinning {
    /**
     * A verdict.
     *
     * @param pinning {@code locked} (exact versions and hashes, or a lock file), {@code pinned}
     *     (exact direct versions), {@code unpinned} or {@code unknown}
     * @param detail why, for people
     */
    public record Verdict(String pinning, String detail) {}

    private DependencyPinning() {}

    /** Whether {@code fileName} is a dependency or lock file reprise understands. */
    public static boolean isDependencyFile(String fileName) {
        return DependencyFiles.isDependencyFile(fileName);
    }

    /** The verdict on one dependency file (a pyproject.toml is judged with the lock files beside it). */
    public static Verdict of(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            DependencyFiles.Verdict v = DependencyFiles.verdict(file, text);
            return new Verdict(v.pinning().name().toLowerCase(Locale.ROOT), v.detail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
