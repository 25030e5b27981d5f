package io.reprise.data;

import java.util.LinkedHashMap;
import java.util.List;

/** A YAML document tree, in key order, as ruamel.yaml's round-trip loader keeps it for DVC. */
sealed interface YNode permits YNode.Map, YNode.Seq, YNode.Scalar {

    /**
     * A mapping; keys keep their insertion order (apply_diff appends new keys at the end). {@code flow}
     * marks a {@code {a: 1}} mapping read from a file, which ruamel's round trip writes back as such.
     */
    record Map(LinkedHashMap<String, YNode> entries, boolean flow) implements YNode {
        Map() {
            this(new LinkedHashMap<>(), false);
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
    }

    /** A sequence; {@code flow} as for {@link Map}. */
    record Seq(List<YNode> items, boolean flow) implements YNode {}

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
}
