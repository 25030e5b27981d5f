package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.reprise.model.MlflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A request's parameters, from the query string (GET) or the JSON body (other methods), read the way
 * MLflow's server reads them: protobuf JSON parsing that ignores unknown fields and unknown enum
 * names, then its schema checks, whose messages clients see (mlflow/server/handlers.py).
 */
final class Req {
    static final String API_DOCS = " See the API docs for more information about request parameters.";

    private final JsonNode root;
    private final boolean fromQuery;

    Req(JsonNode root, boolean fromQuery) {
        this.root = root;
        this.fromQuery = fromQuery;
    }

    static Req of(Context ctx, ObjectMapper mapper) {
        if (ctx.method() == HandlerType.GET) {
            return new Req(fromQuery(ctx.queryParamMap(), mapper), true);
        }
        return new Req(JsonBody.parse(ctx, mapper), false);
    }

    private static ObjectNode fromQuery(Map<String, List<String>> params, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        params.forEach((key, values) -> {
            if (values.size() == 1) {
                node.put(key, values.getFirst());
            } else {
                ArrayNode arr = node.putArray(key);
                values.forEach(arr::add);
            }
        });
        return node;
    }

    /** The field's JSON value; JSON null counts as absent, as in protobuf's JSON parsing. */
    JsonNode node(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    /** An optional string; a value of another JSON type is rejected. */
    String string(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalidType(name, n);
        }
        return n.asText();
    }

    /** A string that must be present and non-empty. */
    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw missing(name);
        }
        return s;
    }

    /** An optional string where MLflow reads an absent value as the empty string (proto2 default). */
    String stringOrEmpty(String name) {
        String s = string(name);
        return s == null ? "" : s;
    }

    /** The run id, sent as {@code run_id} or the deprecated {@code run_uuid}. */
    String runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw missing("run_id");
        }
        return id;
    }

    /** An optional int64, sent as a JSON number or (protobuf JSON, Java client) a string. */
    Long longValue(String name) {
        JsonNode n = node(name);
        return n == null ? null : Values.asLong(name, n);
    }

    /**
     * An optional enum sent by name or number. An unknown value is ignored, as protobuf's JSON
     * parsing with {@code ignore_unknown_fields} does, so the field keeps its default.
     */
    <E> E enumValue(String name, Function<String, E> parse) {
        JsonNode n = node(name);
        if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
            return null;
        }
        return parse.apply(n.asText());
    }

    /** An optional repeated field: a JSON array in a body; in a query string, one or more values. */
    List<JsonNode> array(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        if (fromQuery && !n.isArray()) {
            return List.of(n);
        }
        if (!n.isArray()) {
            throw invalidType(name, n);
        }
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    /** A repeated string field; an item of another type is rejected. */
    List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(name)) {
            if (!item.isTextual()) {
                throw invalidType(name, node(name));
            }
            out.add(item.asText());
        }
        return out;
    }

    static MlflowException missing(String name) {
        return MlflowException.invalid("Missing value for required parameter '%s'.%s", name, API_DOCS);
    }

    /** MLflow's schema-check failure: {@code invalid_value(name, value, " Hint: ...")} plus the docs hint. */
    static MlflowException invalidType(String name, JsonNode value) {
        return MlflowException.invalid(
                "Invalid value %s for parameter '%s' supplied:  Hint: Value was of type '%s'.%s",
                Values.pythonJson(value), name, Values.pythonType(value), API_DOCS);
    }
}
