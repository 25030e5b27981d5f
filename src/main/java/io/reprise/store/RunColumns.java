package io.reprise.store;

/** The runs column behind each searchable run attribute (aliases already resolved). */
final class RunColumns {
    private RunColumns() {}

    static String of(String attribute) {
        return switch (attribute) {
            case "run_id" -> "r.run_uuid";
            case "run_name" -> "r.name";
            case "status", "user_id", "artifact_uri", "start_time", "end_time" -> "r." + attribute;
            default -> throw new IllegalArgumentException("not a run attribute: " + attribute);
        };
    }

    static boolean isNumeric(String attribute) {
        return attribute.equals("start_time") || attribute.equals("end_time");
    }

    /** Only end_time may be NULL; sorting on the others needs no "missing last" term. */
    static boolean isNullable(String attribute) {
        return attribute.equals("end_time");
    }
}
