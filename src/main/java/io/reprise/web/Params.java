package io.reprise.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Query-string values of a page: trimmed, never null. */
final class Params {
    private Params() {}

    static String get(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v.strip();
    }

    /** A comma-separated list: "a, b,,c" is [a, b, c]. */
    static List<String> list(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String s : get(ctx, name).split(",", -1)) {
            if (!s.isBlank() && !out.contains(s.strip())) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
