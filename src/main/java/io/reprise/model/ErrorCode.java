package io.reprise.model;

/** MLflow's error codes with the HTTP status its server answers for each (mlflow/exceptions.py). */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    RESOURCE_ALREADY_EXISTS(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_CONFLICT(409),
    REQUEST_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    INVALID_STATE(500),
    NOT_IMPLEMENTED(501),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status MLflow's server sends with this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
