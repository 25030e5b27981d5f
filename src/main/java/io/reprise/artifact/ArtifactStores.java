package io.reprise.artifact;

import io.reprise.s3.S3Location;
import io.reprise.s3.S3Settings;
import java.nio.file.Path;

/** Opens the artifact store a destination names: a local folder, or {@code s3://bucket/prefix}. */
public final class ArtifactStores {
    private ArtifactStores() {}

    /**
     * The store at {@code destination}. The AWS SDK is only loaded here for an s3:// destination, so a
     * server with local artifacts does not pay its start-up time.
     */
    public static ArtifactStore open(String destination, S3Settings s3) {
        if (S3Location.isS3(destination)) {
            return S3ArtifactStore.open(s3Location(destination), s3);
        }
        return new LocalArtifactStore(Path.of(destination));
    }

    private static S3Location s3Location(String destination) {
        try {
            return S3Location.parse(destination);
        } catch (IllegalArgumentException e) {
            throw io.reprise.model.MlflowException.invalid("--artifacts-destination: %s", e.getMessage());
        }
    }
}
