package io.reprise.model;

import com.google.errorprone.annotations.FormatMethod;

/** Any failure a client should see, carrying the MLflow error code that decides the HTTP status. */
public class MlflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MlflowException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    @FormatMethod
    public static MlflowException invalid(String format, Object... args) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, String.format(format, args));
    }

    @FormatMethod
    public static MlflowException notFound(String format, Object... args) {
        return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, String.format(format, args));
    }

    @FormatMethod
    public static MlflowException alreadyExists(String format, Object... args) {
        return new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, String.format(format, args));
    }
}
