package io.reprise.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds S3 clients from {@link S3Settings}; the only place that configures the AWS SDK. */
public final class S3Clients {
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {}

    /** A client for the settings; cheap to call only once per store (it owns a connection pool). */
    public static S3Client create(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .region(region(settings))
                .credentialsProvider(credentials(settings))
                // Checksums only where S3 requires them: the SDK's newer default (a CRC on every
                // request) is refused by many S3-compatible stores (s3proxy, older MinIO and Ceph).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            b.endpointOverride(endpoint(settings.endpoint())).forcePathStyle(true);
        }
        return b.build();
    }

    private static URI endpoint(String endpoint) {
        String e = endpoint.contains("://") ? endpoint : "https://" + endpoint;
        try {
            return URI.create(e);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Invalid S3 endpoint URL '" + endpoint + "'", ex);
        }
    }

    private static Region region(S3Settings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder()
                    .profileName(settings.profile())
                    .build()
                    .getRegion();
        } catch (SdkException | IllegalArgumentException e) {
            // none found (or AWS_REGION set to ""): like boto3 with a custom endpoint, sign for us-east-1
            return FALLBACK_REGION;
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.accessKeyId() != null && s.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(
                    s.sessionToken() == null
                            ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                            : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        }
        if (s.profile() != null) {
            return ProfileCredentialsProvider.create(s.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
