package io.reprise.capture;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON for the capture package on jackson-core's streaming API. Not databind: a cold ObjectMapper
 * costs ~0.2 s of CPU at startup, most of {@code reprise run}'s 300 ms budget. Records are written
 * with snake_case names and null components left out, as MLflow's JSON is.
 */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** Renders maps, lists, records, enums (by their {@link JsonValue} method), strings, numbers, booleans. */
    static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            value(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Number n -> g.writeNumber(n.doubleValue());
            case Boolean b -> g.writeBoolean(b);
            case Enum<?> e -> g.writeString(enumValue(e));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    value(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Iterable<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            case Record r -> record(g, r);
            default -> g.writeString(v.toString());
        }
    }

    private static void record(JsonGenerator g, Record r) throws IOException {
        g.writeStartObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = invoke(c.getAccessor(), r);
            if (v != null) {
                g.writeFieldName(snakeCase(c.getName()));
                value(g, v);
            }
        }
        g.writeEndObject();
    }

    private static String enumValue(Enum<?> e) {
        for (Method m : e.getDeclaringClass().getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonValue.class)) {
                return String.valueOf(invoke(m, e));
            }
        }
        return e.name();
    }

    private static Object invoke(Method m, Object target) {
        try {
            m.setAccessible(true); // records and enums of this package are package-private
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + m, e);
        }
    }

    static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Parses into maps, lists, strings, numbers, booleans and nulls. */
    static Object read(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return p.nextToken() == null ? Map.of() : node(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object node(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, node(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(node(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    /** The value at a path of object keys, as text; empty when absent or not a scalar. */
    static String text(Object tree, String... keys) {
        Object node = tree;
        for (String k : keys) {
            node = node instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return node == null || node instanceof Map || node instanceof List ? "" : node.toString();
    }

    /** The list at a path of object keys; empty when absent. */
    static List<?> list(Object tree, String... keys) {
        Object node = tree;
        for (String k : keys) {
            node = node instanceof Map<?, ?> m ? m.get(k) : null;
        }
        return node instanceof List<?> l ? l : List.of();
    }
}
