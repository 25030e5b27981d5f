package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;

/** Conversions of JSON values the way MLflow's protobuf parsing accepts them, and its error wording. */
final class Values {
    private Values() {}

    static long asLong(String name, JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                throw Req.invalidType(name, n);
            }
        }
        if (n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble())) {
            return (long) n.asDouble();
        }
        throw Req.invalidType(name, n);
    }

    /**
     * A double: a JSON number, a numeric string, or the strings protobuf's JSON mapping uses for NaN
     * and infinities. Python's protobuf parser also takes {@code true}/{@code false} as 1.0/0.0
     * (it calls {@code float()} on them), so MLflow's server accepts them and so do we.
     */
    static Double asDouble(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? 1.0 : 0.0;
        }
        if (n.isTextual()) {
            switch (n.asText()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(n.asText().trim());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** The value as Python's {@code json.dumps(v, sort_keys=True, separators=(",", ":"))} prints it. */
    static String pythonJson(JsonNode n) {
        StringBuilder out = new StringBuilder();
        PythonJson.write(n, out);
        return out.toString();
    }

    /** The name Python gives the type of the parsed JSON value, as MLflow's hints say it. */
    static String pythonType(JsonNode n) {
        if (n.isTextual()) {
            return "str";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        if (n.isIntegralNumber()) {
            return "int";
        }
        if (n.isNumber()) {
            return "float";
        }
        if (n.isArray()) {
            return "list";
        }
        if (n.isObject()) {
            return "dict";
        }
        return "NoneType";
    }
}
