package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.s3.S3Upload;
import io.reprise.testing.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 artifact store against a real S3 server: keys, listings past one page, deletes, path safety. */
class S3ArtifactStoreTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    private String bucket;
    private ArtifactStore store;

    @BeforeEach
    void open() {
        bucket = s3.createBucket();
        store = ArtifactStores.open("s3://" + bucket + "/team/artifacts/", s3.settings());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anArtifactIsStoredUnderThePrefixAndReadBack() throws IOException {
        store.put("1/run/artifacts/model/weights.bin", text("weights"));

        assertThat(keys("")).containsExactly("team/artifacts/1/run/artifacts/model/weights.bin");
        try (ArtifactStore.Download d = store.open("1/run/artifacts/model/weights.bin")) {
            assertThat(d.name()).isEqualTo("weights.bin");
            assertThat(d.size()).isEqualTo(7);
            assertThat(new String(d.content().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("weights");
        }
        assertThat(store.location()).isEqualTo("s3://" + bucket + "/team/artifacts");
    }

    @Test
    void listingShowsFilesAndFoldersOfOneLevelSortedWithSizes() {
        store.put("r/b.txt", text("bb"));
        store.put("r/a/deep/x.txt", text("x"));
        store.put("r/c.txt", text("ccc"));

        assertThat(store.list("r"))
                .containsExactly(
                        new ArtifactStore.Entry("r/a", true, 0),
                        new ArtifactStore.Entry("r/b.txt", false, 2),
                        new ArtifactStore.Entry("r/c.txt", false, 3));
        assertThat(store.list("")).containsExactly(new ArtifactStore.Entry("r", true, 0));
        assertThat(store.list("nothing/here")).isEmpty();
    }

    @Test
    void aListingOfMoreThanOnePageOfKeysIsComplete() {
        int n = 1100; // S3 pages hold 1000 keys
        s3.seed(
                bucket,
                IntStream.range(0, n)
                        .mapToObj(i -> String.format("team/artifacts/many/f%05d", i))
                        .toList(),
                "x");

        List<ArtifactStore.Entry> listed = store.list("many");

        assertThat(listed).hasSize(n);
        assertThat(listed.get(0).path()).isEqualTo("many/f00000");
        assertThat(listed.get(n - 1).path()).isEqualTo("many/f01099");

        store.delete("many");
        assertThat(keys("team/artifacts/many/")).isEmpty();
    }

    @Test
    void deletingAFolderRemovesItsTreeButNotItsNamesakeNeighbours() {
        store.put("run/out/a.txt", text("a"));
        store.put("run/out/sub/b.txt", text("b"));
        store.put("run/outside.txt", text("keep"));
        store.put("run/out.txt", text("keep"));

        store.delete("run/out");
        store.delete("run/never-there");

        assertThat(keys("")).containsExactly("team/artifacts/run/out.txt", "team/artifacts/run/outside.txt");
    }

    @Test
    void missingFilesAndFoldersAreReportedAsMlflowDoes() {
        store.put("run/dir/file.txt", text("x"));

        assertThatThrownBy(() -> store.open("run/nope.txt"))
                .isInstanceOf(MlflowException.class)
                .hasMessage("No such artifact: 'run/nope.txt'")
                .extracting(e -> ((MlflowException) e).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThatThrownBy(() -> store.open("run/dir"))
                .hasMessage("Artifact path refers to a directory, not a file: 'run/dir'");
        assertThatThrownBy(() -> store.put("run/dir", text("y")))
                .hasMessage("Cannot write artifact 'run/dir': a folder of that name exists");
    }

    @Test
    void pathsThatLeaveThePrefixAreRefusedBeforeAnyRequest() {
        for (String bad : List.of("../escape.txt", "a/../../b", "/abs.txt", "%2e%2e/x", "a\\b", "")) {
            assertThatThrownBy(() -> store.put(bad, text("x"))).as(bad).hasMessage("Invalid path");
        }
        assertThatThrownBy(() -> store.delete("")).hasMessage("Invalid path");
        assertThatThrownBy(() -> store.list("../other")).hasMessage("Invalid path");
        assertThat(keys("")).isEmpty();
    }

    @Test
    void aBodyLargerThanOnePartIsAMultipartUploadWithTheSameBytes() throws IOException {
        byte[] body = new byte[S3Upload.PART_SIZE * 2 + 12345];
        new java.util.Random(7).nextBytes(body);

        store.put("big/blob.bin", new ByteArrayInputStream(body));

        var head = s3.client().headObject(b -> b.bucket(bucket).key("team/artifacts/big/blob.bin"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        // a multipart object's ETag is "<md5 of part md5s>-<number of parts>"
        assertThat(head.eTag()).endsWith("-3\"");
        try (ArtifactStore.Download d = store.open("big/blob.bin")) {
            assertThat(d.content().readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void anUploadCutShortLeavesNothingUnderTheKey() {
        InputStream breaks = new InputStream() {
            private long left = S3Upload.PART_SIZE + 100L;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };

        assertThatThrownBy(() -> store.put("cut/file.bin", breaks))
                .hasMessageContaining("The upload of 'cut/file.bin' was cut short");
        assertThat(keys("")).isEmpty();
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .isEmpty();
    }

    private List<String> keys(String prefix) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
