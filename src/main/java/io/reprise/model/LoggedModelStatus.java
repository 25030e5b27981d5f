package io.reprise.model;

/** A logged model's upload state; {@link #number()} is MLflow's proto enum number, stored as is. */
public enum LoggedModelStatus {
    LOGGED_MODEL_STATUS_UNSPECIFIED(0),
    LOGGED_MODEL_PENDING(1),
    LOGGED_MODEL_READY(2),
    LOGGED_MODEL_UPLOAD_FAILED(3);

    private final int number;

    LoggedModelStatus(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static LoggedModelStatus of(int number) {
        for (LoggedModelStatus s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw MlflowException.invalid("Unknown model status: %d", number);
    }

    /**
     * The status sent as a proto enum name or number; null for anything else, which protobuf's JSON
     * parsing (ignoring unknown enum values) leaves unset.
     */
    public static LoggedModelStatus parse(String text) {
        for (LoggedModelStatus s : values()) {
            if (s.name().equals(text) || String.valueOf(s.number).equals(text)) {
                return s;
            }
        }
        return null;
    }
}
