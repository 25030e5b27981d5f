package io.reprise.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** Streaming md5, in constant memory per thread. */
final class Md5 {
    static final int BUFFER = 1 << 20;
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

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
    static Hashed stream(InputStream in, OutputStream copy, LongConsumer progress) throws IOException {
        MessageDigest md = digest();
        byte[] buf = BUFFERS.get();
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            if (copy != null) {
                copy.write(buf, 0, n);
            }
            size += n;
            progress.accept(n);
        }
        return new Hashed(HexFormat.of().formatHex(md.digest()), size);
    }

    record Hashed(String md5, long size) {}
}
