package io.reprise.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Reading requests and writing JSON answers, shared by the handler classes. */
final class Http {
    private final ObjectMapper mapper;

    Http(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Req req(Context ctx) {
        return Req.of(ctx, mapper);
    }

    void ok(Context ctx, JsonNode body) {
        try {
            ctx.contentType("application/json").result(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render a JSON tree", e);
        }
    }

    void empty(Context ctx) {
        ok(ctx, Wire.object());
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
