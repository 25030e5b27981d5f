package io.reprise.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly trend of the two shares: a small inline SVG (no script, no library) and the same
 * numbers as a table, which is what a screen reader or a copy-paste gets.
 */
final class Trend {
    static final int WIDTH = 640;
    static final int HEIGHT = 160;
    private static final int PAD = 30;

    private Trend() {}

    /** {@code weeks}: week start (epoch ms) to its tally, every week of the window, oldest first. */
    static void render(Html h, List<Long> weeks, Map<Long, Tally> byWeek) {
        svg(h, weeks, byWeek);
        h.raw("<table id=\"trend\"><thead><tr><th scope=\"col\">Week of</th><th scope=\"col\">Runs</th>")
                .raw("<th scope=\"col\">Compliant</th><th scope=\"col\">Audited</th>")
                .raw("<th scope=\"col\">Reproduced</th><th scope=\"col\">Level allowed</th></tr></thead><tbody>");
        for (long week : weeks) {
            Tally t = byWeek.getOrDefault(week, new Tally());
            h.raw("<tr><td>")
                    .text(Html.time(week).substring(0, 10))
                    .raw("</td><td class=\"num\">")
                    .text(t.runs)
                    .raw("</td><td class=\"num\">")
                    .text(share(t.compliant, t.judged(), t.compliantShare()))
                    .raw("</td><td class=\"num\">")
                    .text(t.audited)
                    .raw("</td><td class=\"num\">")
                    .text(share(t.reproduced, t.audited, t.reproducedShare()))
                    .raw("</td><td class=\"num\">")
                    .text(t.runs == 0 ? "" : "\u2264 " + DashboardPage.ceiling(t))
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static String share(long part, long whole, double share) {
        return whole == 0 ? "\u2014" : Tally.percent(share) + " (" + part + "/" + whole + ")";
    }

    private static void svg(Html h, List<Long> weeks, Map<Long, Tally> byWeek) {
        h.raw("<svg class=\"trend\" role=\"img\" aria-labelledby=\"trend-title\" width=\"" + WIDTH + "\" height=\""
                        + HEIGHT + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\">")
                .raw("<title id=\"trend-title\">Share of compliant runs and of audited runs reproduced, by week"
                        + " (the table below has the numbers)</title>");
        for (int pct : new int[] {0, 50, 90, 100}) {
            double y = y(pct / 100.0);
            h.raw(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>"
                            + "<text x=\"2\" y=\"%.1f\" font-size=\"10\" fill=\"#56616e\">%d%%</text>",
                    PAD,
                    WIDTH - 10,
                    y,
                    y,
                    pct == 90 ? "#c99400" : "#d8dee6",
                    y + 3,
                    pct));
        }
        line(h, weeks, byWeek, true, "#2f9e55");
        line(h, weeks, byWeek, false, "#1a5bb5");
        h.raw("<text x=\"" + PAD + "\" y=\"" + (HEIGHT - 4)
                + "\" font-size=\"11\" fill=\"#2f9e55\">\u25cf compliant</text><text x=\"" + (PAD + 100) + "\" y=\""
                + (HEIGHT - 4) + "\" font-size=\"11\" fill=\"#1a5bb5\">\u25cf reproduced</text></svg>");
    }

    /** One series as a polyline through the weeks that have a share, with a dot per week. */
    private static void line(Html h, List<Long> weeks, Map<Long, Tally> byWeek, boolean compliance, String colour) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < weeks.size(); i++) {
            Tally t = byWeek.getOrDefault(weeks.get(i), new Tally());
            double share = compliance ? t.compliantShare() : t.reproducedShare();
            if (Double.isNaN(share)) {
                continue;
            }
            double x = x(i, weeks.size());
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(share)));
            dots.append(String.format(
                    Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y(share), colour));
        }
        if (!points.isEmpty()) {
            h.raw("<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\""
                    + points.toString().strip() + "\"/>");
            h.raw(dots.toString());
        }
    }

    private static double x(int i, int n) {
        return n <= 1 ? PAD : PAD + (double) i * (WIDTH - PAD - 20) / (n - 1);
    }

    private static double y(double share) {
        return 10 + (1 - share) * (HEIGHT - 40);
    }
}
