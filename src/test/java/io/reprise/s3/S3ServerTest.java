package io.reprise.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.testing.S3Server;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The in-process S3 fixture with the client settings Reprise uses: the round trip works, bad keys do not. */
class S3ServerTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @Test
    void anObjectPutThroughOurClientSettingsComesBack() {
        String bucket = s3.createBucket();
        S3Client client = s3.client();
        client.putObject(b -> b.bucket(bucket).key("a/b.txt"), RequestBody.fromString("hello"));

        String back =
                client.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asString(StandardCharsets.UTF_8);

        assertThat(back).isEqualTo("hello");
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents())
                .extracting(o -> o.key())
                .containsExactly("a/b.txt");
    }

    @Test
    void aWrongSecretIsRefusedByTheServer() {
        String bucket = s3.createBucket();
        S3Settings wrong = new S3Settings(s3.endpoint(), "us-east-1", null, S3Server.ACCESS_KEY, "nope", null);
        try (S3Client client = S3Clients.create(wrong)) {
            assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket(bucket)))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }
}
