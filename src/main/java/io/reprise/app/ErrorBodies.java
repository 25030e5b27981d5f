package io.reprise.app;

import io.reprise.model.ErrorCode;
import io.reprise.tracking.ErrorBody;
import java.nio.charset.StandardCharsets;

/** MLflow's error body, {@code {"error_code": ..., "message": ...}}, for every layer that answers. */
final class ErrorBodies {
    private ErrorBodies() {}

    static String json(ErrorCode code, String message) {
        return ErrorBody.of(code, message).toString();
    }

    static byte[] bytes(ErrorCode code, String message) {
        return json(code, message).getBytes(StandardCharsets.UTF_8);
    }

    /** The MLflow code for an HTTP status that no handler chose itself (Jetty's or Javalin's own). */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 413 -> ErrorCode.INVALID_PARAMETER_VALUE;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            // Jetty's answer to an unknown protocol version: the client's fault, not worth a retry
            case 505 -> ErrorCode.BAD_REQUEST;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }
}
