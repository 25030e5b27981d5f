package io.reprise.s3;

import java.net.ConnectException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns AWS SDK failures into one line that says what to fix. */
public final class S3Errors {
    private S3Errors() {}

    /** What went wrong accessing {@code where}, with a hint; never a secret. */
    public static String describe(SdkException e, S3Location where, S3Settings settings) {
        if (e instanceof S3Exception s3) {
            return switch (s3.statusCode()) {
                case 404 ->
                    "bucket '" + where.bucket() + "' does not exist at " + settings.describe()
                            + "; create it or fix the bucket name";
                case 401, 403 ->
                    "access to " + where + " was denied at " + settings.describe()
                            + " (" + code(s3)
                            + "); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the"
                            + " bucket policy";
                case 301 -> "bucket '" + where.bucket() + "' is in another region; set AWS_REGION to its region";
                default -> "S3 error on " + where + ": " + code(s3) + " (HTTP " + s3.statusCode() + ")";
            };
        }
        String msg = String.valueOf(e.getMessage());
        if (e instanceof SdkClientException && msg.contains("Unable to load credentials")) {
            return "no AWS credentials found for " + where + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " or AWS_PROFILE";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException) {
                return "cannot reach " + settings.describe() + " for " + where + " (" + c.getMessage()
                        + "); check the endpoint URL (AWS_ENDPOINT_URL / MLFLOW_S3_ENDPOINT_URL) and the network";
            }
        }
        return "S3 request on " + where + " failed: " + firstLine(msg);
    }

    private static String code(S3Exception e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return "HTTP " + e.statusCode();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
