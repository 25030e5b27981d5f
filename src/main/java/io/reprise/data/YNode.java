package io.reprise.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document tree, in key order, as ruamel.yaml's round-trip loader keeps it for DVC. */
sealed interface YNode permits YNode.Map, YNode.Seq, YNode.Scalar {

    /** A block mapping; keys keep their insertion order (apply_diff appends new keys at the end). */
    record Map(LinkedHashMap<String, YNode> entries) implements YNode {
        Map() {
            this(new LinkedHashMap<>());
        }

        YNode get(String key) {
            return entries.get(key);
        }

        Map put(String key, YNode value) {
            entries.put(key, value);
            return this;
        }

        String string(String key) {
            return entries.get(key) instanceof Scalar s && s.kind() != Kind.NULL ? s.value() : null;
        }

        static Map of(java.util.Map<String, YNode> entries) {
            return new Map(new LinkedHashMap<>(entries));
        }
    }

    /** A block sequence. */
    record Seq(List<YNode> items) implements YNode {}

    /** A scalar: a string, or the canonical text of an int, float, bool or null. */
    record Scalar(String value, Kind kind) implements YNode {
        static Scalar str(String value) {
            return new Scalar(value, Kind.STR);
        }

        static Scalar integer(long value) {
            return new Scalar(Long.toString(value), Kind.INT);
        }

        static Scalar bool(boolean value) {
            return new Scalar(value ? "true" : "false", Kind.BOOL);
        }
    }

    enum Kind {
        STR,
        INT,
        FLOAT,
        BOOL,
        NULL
    }

    /** Mapping for tests and callers that build small documents. */
    static Map map(Object... keyValues) {
        Map m = new Map();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], (YNode) keyValues[i + 1]);
        }
        return m;
    }

    static java.util.Map<String, YNode> copyOf(Map m) {
        return new LinkedHashMap<>(m.entries());
    }
}
