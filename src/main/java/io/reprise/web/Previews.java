package io.reprise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an artifact's first bytes by its type: text, JSON, YAML, a CSV head, a diff, an image. */
final class Previews {
    static final int CSV_ROWS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    // raster formats only: an SVG can carry script
    private static final Map<String, String> IMAGES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp");

    static final java.util.Set<String> IMAGES_EXT = IMAGES.keySet();

    private Previews() {}

    static void render(Html h, String path, Artifacts.Head head) {
        String ext = ext(path);
        if (IMAGES.containsKey(ext)) {
            if (head.cut()) {
                h.raw("<p class=\"note\">The image is too large to preview.</p>");
            } else {
                h.raw("<img class=\"preview\" alt=\"")
                        .text(path)
                        .raw("\" src=\"data:")
                        .raw(IMAGES.get(ext))
                        .raw(";base64,")
                        .raw(Base64.getEncoder().encodeToString(head.bytes()))
                        .raw("\">");
            }
            return;
        }
        if (isBinary(head.bytes())) {
            h.raw("<p class=\"note\">Binary file, ").text(head.size()).raw(" bytes: no preview.</p>");
            return;
        }
        String text = new String(head.bytes(), StandardCharsets.UTF_8);
        switch (ext) {
            case "json" -> h.raw("<pre class=\"json\">").text(prettyJson(text)).raw("</pre>");
            case "csv", "tsv" -> csv(h, text, ext.equals("tsv") ? '\t' : ',');
            case "patch", "diff" -> diff(h, text);
            default -> h.raw("<pre>").text(text).raw("</pre>");
        }
        if (head.cut()) {
            h.raw("<p class=\"note\">Showing the first ")
                    .text(head.bytes().length)
                    .raw(" of ")
                    .text(head.size())
                    .raw(" bytes.</p>");
        }
    }

    static void diff(Html h, String text) {
        h.raw("<pre class=\"diff\">");
        for (String line : text.split("\n", -1)) {
            String kind = line.startsWith("diff --git") || line.startsWith("+++") || line.startsWith("---")
                    ? "file"
                    : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "";
            h.raw("<span class=\"")
                    .raw(kind)
                    .raw("\">")
                    .text(line.isEmpty() ? " " : line)
                    .raw("</span>");
        }
        h.raw("</pre>");
    }

    private static void csv(Html h, String text, char sep) {
        String[] lines = text.stripTrailing().split("\r?\n", -1);
        h.raw("<table class=\"csv\">");
        for (int i = 0; i < Math.min(lines.length, CSV_ROWS + 1); i++) {
            String cell = i == 0 ? "th" : "td";
            h.raw("<tr>");
            for (String v : cells(lines[i], sep)) {
                h.el(cell, v);
            }
            h.raw("</tr>");
        }
        h.raw("</table>");
        if (lines.length > CSV_ROWS + 1) {
            h.raw("<p class=\"note\">The first ").text(CSV_ROWS).raw(" rows.</p>");
        }
    }

    /** One CSV line's cells, with double-quoted cells and "" escapes. */
    static List<String> cells(String line, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String prettyJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return text; // cut or not JSON: shown as it is
        }
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    static String ext(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
