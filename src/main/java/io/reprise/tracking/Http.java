package io.reprise.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    /** Writes an answer straight to a generator: for large answers, with no tree built first. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    void ok(Context ctx, Body body) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a JSON answer", e);
        }
        ctx.contentType("application/json").result(out.toByteArray());
    }

    /** An answer of one field, {@code {"name": <value>}}, the value written by {@code value}. */
    void ok(Context ctx, String name, Body value) {
        ok(ctx, g -> {
            g.writeStartObject();
            g.writeFieldName(name);
            value.write(g);
            g.writeEndObject();
        });
    }

    void empty(Context ctx) {
        ok(ctx, Wire.object());
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
