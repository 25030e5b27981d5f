package io.reprise.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads a stream of unknown length: a body that fits one part is a single PutObject, a larger one a
 * multipart upload, part by part, so memory stays at one part whatever the size. S3 shows the object
 * only once the upload completed; a failed multipart upload is aborted, leaving nothing under the key.
 */
public final class S3Upload {
    /** The first parts' size; S3 wants at least 5 MiB for every part but the last. */
    public static final int PART_SIZE = 8 << 20;

    private static final int FIRST_BUFFER = 64 << 10;

    // S3 allows 10,000 parts: growing the part size every 1,000 parts reaches 440 GB.
    private static final int PARTS_PER_SIZE = 1000;

    private S3Upload() {}

    /**
     * Uploads {@code content} to {@code bucket/key}. A failure to read {@code content} is an {@link
     * UncheckedIOException} (whose cause is the read's IOException); S3 failures are SdkExceptions.
     */
    public static void upload(S3Client s3, String bucket, String key, InputStream content) {
        byte[] first = readFirstPart(content);
        if (first.length < PART_SIZE) {
            s3.putObject(b -> b.bucket(bucket).key(key), body(first, first.length));
            return;
        }
        byte[] part = first;
        int n = first.length;
        String uploadId =
                s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> done = new ArrayList<>();
            for (int number = 1; n > 0; number++) {
                int partNumber = number;
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber),
                                body(part, n))
                        .eTag();
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                int size = PART_SIZE * (1 + number / PARTS_PER_SIZE);
                part = part.length == size ? part : new byte[size];
                n = fill(content, part);
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    // A ByteArrayInputStream can be reset, so the SDK can retry the request with it.
    private static RequestBody body(byte[] part, int n) {
        return RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, n), n);
    }

    // Small bodies (most artifacts and data objects) get a small buffer: it grows only while the stream
    // has more, so thousands of small uploads do not each allocate a whole part.
    private static byte[] readFirstPart(InputStream in) {
        byte[] buf = new byte[FIRST_BUFFER];
        int n = fill(in, buf);
        while (n == buf.length && buf.length < PART_SIZE) {
            buf = Arrays.copyOf(buf, Math.min(PART_SIZE, buf.length * 4));
            n += fill(in, buf, n);
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /** Reads until {@code buf} is full or the stream ends; returns the bytes read. */
    private static int fill(InputStream in, byte[] buf) {
        return fill(in, buf, 0);
    }

    /** Reads into {@code buf} from {@code offset} until it is full or the stream ends; returns the bytes read. */
    private static int fill(InputStream in, byte[] buf, int offset) {
        int n = offset;
        try {
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n - offset;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
