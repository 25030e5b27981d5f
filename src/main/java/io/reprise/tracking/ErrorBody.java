package io.reprise.tracking;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.model.ErrorCode;

/**
 * MLflow's error JSON. Besides {@code error_code} and {@code message}, MLflow 3.x servers send the
 * {@code sqlstate} and {@code error_class} their {@code MlflowException} derives from the error code
 * (mlflow/error_classification.py, client-side tables); codes without an entry there send neither.
 */
public final class ErrorBody {
    private ErrorBody() {}

    public static ObjectNode of(ErrorCode code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error_code", code.name());
        body.put("message", message);
        String errorClass = errorClass(code);
        if (errorClass != null) {
            body.put("sqlstate", clientInternal(code) ? "XXM00" : "KAM00");
            body.put("error_class", errorClass);
        }
        return body;
    }

    private static boolean clientInternal(ErrorCode code) {
        return code == ErrorCode.INTERNAL_ERROR
                || code == ErrorCode.INVALID_STATE
                || code == ErrorCode.TEMPORARILY_UNAVAILABLE;
    }

    private static String errorClass(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, INVALID_PARAMETER_VALUE -> "INVALID_PARAMETER_VALUE";
            case ENDPOINT_NOT_FOUND, RESOURCE_DOES_NOT_EXIST -> "RESOURCE_NOT_FOUND";
            case RESOURCE_ALREADY_EXISTS -> "RESOURCE_ALREADY_EXISTS";
            case PERMISSION_DENIED -> "PERMISSION_DENIED";
            case INTERNAL_ERROR, INVALID_STATE, TEMPORARILY_UNAVAILABLE -> "CLIENT_INTERNAL_ERROR";
            default -> null;
        };
    }
}
