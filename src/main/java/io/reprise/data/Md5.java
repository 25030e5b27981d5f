package io.reprise.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** Streaming md5, in constant memory per thread. */
final class Md5 {
    static final int BUFFER = 1 << 20;
    // Direct buffers: the kernel reads into them and writes from them without extra copies through the heap.
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    private Md5() {}

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    static String of(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** Reads {@code in} to its end, copying to {@code copy} when not null, reporting bytes read. */
    static Hashed stream(ReadableByteChannel in, WritableByteChannel copy, LongConsumer progress) throws IOException {
        MessageDigest md = digest();
        ByteBuffer buf = BUFFERS.get();
        long size = 0;
        for (int n; (n = in.read(buf.clear())) >= 0; ) {
            if (n == 0) {
                continue;
            }
            buf.flip();
            md.update(buf.duplicate());
            if (copy != null) {
                while (buf.hasRemaining()) {
                    copy.write(buf);
                }
            }
            size += n;
            progress.accept(n);
        }
        return new Hashed(HexFormat.of().formatHex(md.digest()), size);
    }

    record Hashed(String md5, long size) {}

    /** A whole small file in this thread's buffer (valid until the thread's next read), and its hash. */
    record Held(Hashed hashed, ByteBuffer bytes) {}

    /** Reads all of {@code in} into the buffer and hashes it; null if it does not fit (it grew). */
    static Held hold(ReadableByteChannel in, LongConsumer progress) throws IOException {
        ByteBuffer buf = BUFFERS.get().clear();
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) {
                buf.flip();
                MessageDigest md = digest();
                md.update(buf.duplicate());
                progress.accept(buf.remaining());
                return new Held(new Hashed(HexFormat.of().formatHex(md.digest()), buf.remaining()), buf);
            }
        }
        return null;
    }
}
