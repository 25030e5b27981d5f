package io.reprise.s3;

import java.util.Map;

/**
 * How to reach an S3-compatible store. Every field may be null, meaning "as the AWS SDK finds it":
 * credentials and region then come from the usual chain (environment, system properties, the
 * profile in {@code ~/.aws}, instance roles).
 *
 * @param endpoint a custom endpoint such as {@code http://127.0.0.1:9000} (MinIO, Ceph, s3proxy);
 *     path-style addressing is used with it
 * @param region the signing region; us-east-1 when neither this nor the SDK's chain has one
 * @param profile a named profile of {@code ~/.aws/credentials} and {@code ~/.aws/config}
 * @param accessKeyId with {@code secretAccessKey}: static credentials
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param sessionToken optional, with static credentials
 */
public record S3Settings(
        String endpoint,
        String region,
        String profile,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken) {

    /** Nothing set: everything from the SDK's default chain. */
    public static S3Settings defaults() {
        return new S3Settings(null, null, null, null, null, null);
    }

    /**
     * Settings from environment variables as MLflow reads them: {@code MLFLOW_S3_ENDPOINT_URL}, else
     * {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}; {@code AWS_REGION} or {@code
     * AWS_DEFAULT_REGION}; {@code AWS_PROFILE}. Keys are left to the SDK, which reads {@code
     * AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} itself.
     */
    public static S3Settings fromEnv(Map<String, String> env) {
        return new S3Settings(
                first(env, "MLFLOW_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
                first(env, "AWS_REGION", "AWS_DEFAULT_REGION"),
                first(env, "AWS_PROFILE"),
                null,
                null,
                null);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** A short description for messages, never the secrets. */
    public String describe() {
        return endpoint == null ? "AWS S3" : "the S3 endpoint " + endpoint;
    }
}
