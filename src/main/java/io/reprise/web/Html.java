package io.reprise.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A page under construction. Every value goes through {@link #text}, which escapes it: run names,
 * params and tags are user input, so nothing a client sent is ever appended raw.
 */
final class Html {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(8192);

    /** Markup written by this package (never user input). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Text, escaped for element content and quoted attribute values. */
    Html text(Object value) {
        out.append(esc(value == null ? "" : value.toString()));
        return this;
    }

    /** {@code <tag>text</tag>} with the text escaped. */
    Html el(String tag, Object text) {
        return raw("<" + tag + ">").text(text).raw("</" + tag.split(" ", 2)[0] + ">");
    }

    /** A link to a page of this UI; the href is escaped too. */
    Html link(String href, Object text) {
        return raw("<a href=\"").text(href).raw("\">").text(text).raw("</a>");
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A query-string value. */
    static String q(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
