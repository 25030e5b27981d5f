package io.reprise.web;

/** Verdicts as labelled badges: the text says it, the colour only repeats it. */
final class Badges {
    private Badges() {}

    static void compliance(Html h, String verdict) {
        switch (verdict) {
            case "compliant" -> badge(h, "ok", verdict);
            case "non-compliant" -> badge(h, "bad", verdict);
            case "" -> h.raw("<span class=\"note\">\u2014</span>");
            default -> badge(h, "warn", verdict);
        }
    }

    static void reproduction(Html h, String verdict) {
        switch (verdict) {
            case "REPRODUCED" -> badge(h, "ok", verdict);
            case "DIVERGED", "FAILED" -> badge(h, "bad", verdict);
            case "" -> h.raw("<span class=\"note\">not audited</span>");
            default -> badge(h, "warn", verdict);
        }
    }

    /** A requirement met or not. */
    static void gate(Html h, boolean met) {
        badge(h, met ? "ok" : "bad", met ? "met" : "not met");
    }

    private static void badge(Html h, String kind, String text) {
        h.raw("<span class=\"badge ").raw(kind).raw("\">").text(text).raw("</span>");
    }
}
