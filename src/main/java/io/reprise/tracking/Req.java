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

/**
 * A request's parameters, from the query string (GET) or the JSON body (other methods), read with
 * MLflow's validation messages so clients see the same errors as from {@code mlflow server}.
 */
final class Req {
    private static final String API_DOCS = " See the API docs for more information about request parameters.";

    private final JsonNode root;

    Req(JsonNode root) {
        this.root = root;
    }

    static Req of(Context ctx, ObjectMapper mapper) {
        if (ctx.method() == HandlerType.GET) {
            return new Req(fromQuery(ctx.queryParamMap(), mapper));
        }
        return new Req(JsonBody.parse(ctx, mapper));
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

    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw missing(name);
        }
        return s;
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

    /** An optional int64, sent as a JSON number or (proto3 JSON, Java client) a string. */
    Long longValue(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        return Values.asLong(name, n);
    }

    Integer intValue(String name) {
        Long v = longValue(name);
        if (v == null) {
            return null;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw MlflowException.invalid("Invalid value %s for parameter '%s' supplied.%s", v, name, API_DOCS);
        }
        return v.intValue();
    }

    /** An optional array; an absent field is an empty list. */
    List<JsonNode> array(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw invalidType(name, n);
        }
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    /** A repeated string field; a single query-string value counts as a one-element list. */
    List<String> strings(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(name)) {
            if (!item.isTextual()) {
                throw invalidType(name, n);
            }
            out.add(item.asText());
        }
        return out;
    }

    static MlflowException missing(String name) {
        return MlflowException.invalid("Missing value for required parameter '%s'.%s", name, API_DOCS);
    }

    static MlflowException invalidType(String name, JsonNode value) {
        return MlflowException.invalid(
                "Invalid value %s for parameter '%s' supplied. Hint: Value was of type '%s'.%s",
                Values.pythonJson(value), name, Values.pythonType(value), API_DOCS);
    }
}
