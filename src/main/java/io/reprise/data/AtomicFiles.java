package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

    static FileChannel createChannel(Path temp) throws IOException {
        return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBytes(Path target, byte[] bytes) {
        try {
            write(target.toAbsolutePath().getParent(), target, ByteBuffer.wrap(bytes), AtomicFiles::createChannel);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Opens a new temp file for writing. */
    interface Opener {
        FileChannel open(Path temp) throws IOException;
    }

    /**
     * Writes {@code bytes} to a new temp file in {@code dir} (the folder of {@code target}), opened by
     * {@code opener}, and renames it over {@code target}; on failure the temp file is removed.
     */
    static void write(Path dir, Path target, ByteBuffer bytes, Opener opener) throws IOException {
        Path temp = tempIn(dir, target.getFileName().toString());
        try {
            try (FileChannel out = opener.open(temp)) {
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
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
