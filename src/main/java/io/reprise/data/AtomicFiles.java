package io.reprise.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Whole-file writes that readers never see half done: write a temp file beside it, then rename. */
final class AtomicFiles {
    private AtomicFiles() {}

    /** A fresh temp name in {@code dir}; created with the process umask (createTempFile would use 0600). */
    static Path tempIn(Path dir, String name) {
        return dir.resolve(
                "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    static OutputStream create(Path temp) throws IOException {
        return Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    static java.nio.channels.FileChannel createChannel(Path temp) throws IOException {
        return java.nio.channels.FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(Path target, byte[] bytes) {
        Path temp =
                tempIn(target.toAbsolutePath().getParent(), target.getFileName().toString());
        try {
            try (OutputStream out = create(temp)) {
                out.write(bytes);
            }
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a stray temp file is harmless, it never has an object's name
        }
    }
}
