package io.reprise.model;

/** MLflow's RunStatus enum; the number is the proto value some clients send instead of the name. */
public enum RunStatus {
    RUNNING(1),
    SCHEDULED(2),
    FINISHED(3),
    FAILED(4),
    KILLED(5);

    private final int number;

    RunStatus(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }

    /** Parses a name or proto number, or returns null when it is neither. */
    public static RunStatus parse(String value) {
        for (RunStatus s : values()) {
            if (s.name().equals(value) || String.valueOf(s.number).equals(value)) {
                return s;
            }
        }
        return null;
    }
}
