package io.reprise.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The frame every page shares: title, navigation, the bundled style sheet (no external requests). */
final class Layout {
    private static final String CSS = resource("style.css");

    private Layout() {}

    static String page(String title, Html body) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>")
                .text(title)
                .raw(" · Reprise</title><style>")
                .raw(CSS)
                .raw("</style></head><body><header><nav aria-label=\"main\">")
                .raw("<a class=\"brand\" href=\"/\">Reprise</a> <a href=\"/\">Experiments</a>")
                .raw("<a href=\"/compliance\">Compliance</a>")
                .raw("</nav></header><main>")
                .raw(body.toString())
                .raw("</main></body></html>");
        return h.toString();
    }

    private static String resource(String name) {
        try (InputStream in = Layout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/reprise/web/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
