package io.reprise.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.reprise.model.MlflowException;

/** Parses a JSON request body as MLflow's server does: JSON content type, empty body = {}. */
final class JsonBody {
    private JsonBody() {}

    static JsonNode parse(Context ctx, ObjectMapper mapper) {
        String contentType = ctx.contentType();
        String body = ctx.body();
        if (body.isBlank()) {
            return mapper.createObjectNode();
        }
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw MlflowException.invalid(
                    "Bad Request. Content-Type must be 'application/json', got %s. Hint: send the body as JSON"
                            + " with the header Content-Type: application/json.",
                    contentType == null ? "none" : "'" + contentType + "'");
        }
        JsonNode node;
        try {
            // like Python's json.loads, refuse anything after the document ("{...} trailing")
            node = mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
            // Old clients send the JSON document as a JSON string; MLflow decodes it a second time.
            if (node != null && node.isTextual()) {
                node = mapper.readTree(node.asText());
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
        if (node == null || node.isNull()) {
            return mapper.createObjectNode();
        }
        if (!node.isObject()) {
            throw MlflowException.invalid("The request body must be a JSON object, got: %s", abbreviate(body));
        }
        return node;
    }

    // MLflow would read a malformed body as {} and complain about a missing field; naming the real
    // problem is more useful, with the same status and error code.
    private static MlflowException malformed(JsonProcessingException e) {
        String detail = e.getOriginalMessage();
        int marker = detail.indexOf(" (start marker at");
        if (marker >= 0) {
            detail = detail.substring(0, marker);
        }
        var where = e.getLocation();
        return where == null
                ? MlflowException.invalid("Malformed JSON in the request body: %s", detail)
                : MlflowException.invalid(
                        "Malformed JSON in the request body at line %d, column %d: %s",
                        where.getLineNr(), where.getColumnNr(), detail);
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
