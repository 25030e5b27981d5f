package io.reprise.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;

/**
 * Runs recorded offline, one entry per run under {@code <repo>/.reprise/spool/<id>/}: the private
 * server's store ({@code store.db}) and artifacts, {@code spool.json} (state {@code recording}, then
 * {@code complete}) and, once a sync has begun, {@code sync.json} (the remote run id of each spooled
 * run). Every JSON file is written to a temporary file and renamed.
 */
final class Spool {
    static final String STATE = "spool.json";
    static final String SYNC = "sync.json";
    static final String RECORDING = "recording";
    static final String COMPLETE = "complete";

    private Spool() {}

    /** The spool of the repository holding {@code dir} (or of {@code dir} outside git). */
    static Path root(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p.resolve(".reprise").resolve("spool");
            }
        }
        return dir.toAbsolutePath().resolve(".reprise").resolve("spool");
    }

    /** Creates a new entry in state {@code recording}; git ignores the whole spool. */
    static Path create(Path root, Map<String, Object> state) {
        try {
            Files.createDirectories(root);
            Path ignore = root.resolve(".gitignore");
            if (!Files.exists(ignore)) {
                write(ignore, "*\n".getBytes(StandardCharsets.UTF_8));
            }
            Path dir = Files.createDirectory(root.resolve(UUID.randomUUID().toString()));
            writeJson(dir.resolve(STATE), state);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeJson(Path file, Object json) {
        write(file, (JsonText.write(json, true) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON object in {@code file}; throws {@link IllegalStateException} when missing or not JSON. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) {
        try {
            Object o = JsonText.read(Files.readString(file));
            if (o instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw new IllegalStateException(file.getFileName() + " is not a JSON object");
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, byte[] bytes) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes an entry: renamed out of the spool first, so that a removal cut short never leaves a
     * half-deleted entry that a later sync would take for a run to upload.
     */
    static void remove(Path entry) {
        Path trash = entry.resolveSibling(".removed-" + entry.getFileName());
        try {
            Files.move(entry, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VirtualEnvs.deleteTree(trash);
    }
}
