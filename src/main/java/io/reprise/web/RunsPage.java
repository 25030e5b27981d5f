package io.reprise.web;

import io.javalin.http.Context;
import io.reprise.model.Experiment;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import io.reprise.store.PageToken;
import io.reprise.store.RunQuery;
import io.reprise.store.TrackingStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /experiments/ID?filter=&order=&params=&metrics=&tags=&n=&page=}: one page of the
 * experiment's runs through the store's paged search, so a 100k-run experiment costs one page.
 */
final class RunsPage {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    private final TrackingStore store;

    RunsPage(TrackingStore store) {
        this.store = store;
    }

    /** What the query string asks for; {@link #link} writes it back, changed. */
    record View(String filter, String order, List<String> params, List<String> metrics, List<String> tags, int size) {
        static View of(Context ctx) {
            int size = DEFAULT_SIZE;
            try {
                String n = Params.get(ctx, "n");
                size = n.isEmpty() ? DEFAULT_SIZE : Math.clamp(Integer.parseInt(n), 1, MAX_SIZE);
            } catch (NumberFormatException e) {
                // a hand-edited size falls back to the default
            }
            return new View(
                    Params.get(ctx, "filter"),
                    Params.get(ctx, "order"),
                    Params.list(ctx, "params"),
                    Params.list(ctx, "metrics"),
                    Params.list(ctx, "tags"),
                    size);
        }

        String link(String experimentId, String newOrder, String pageToken) {
            StringBuilder b = new StringBuilder("/experiments/")
                    .append(Html.q(experimentId))
                    .append('?');
            b.append("filter=").append(Html.q(filter));
            b.append("&order=").append(Html.q(newOrder));
            b.append("&params=").append(Html.q(String.join(",", params)));
            b.append("&metrics=").append(Html.q(String.join(",", metrics)));
            b.append("&tags=").append(Html.q(String.join(",", tags)));
            if (size != DEFAULT_SIZE) {
                b.append("&n=").append(size);
            }
            if (pageToken != null) {
                b.append("&page=").append(Html.q(pageToken));
            }
            return b.toString();
        }
    }

    String render(Context ctx, String experimentId) {
        Experiment e = store.getExperiment(experimentId);
        View v = View.of(ctx);
        String token = Params.get(ctx, "page");
        Html h = new Html().raw("<h1>Runs of ").text(e.name()).raw("</h1>");
        form(h, e.experimentId(), v);
        Page<Run> page;
        try {
            page = store.searchRuns(new RunQuery(
                    List.of(e.experimentId()),
                    v.filter().isEmpty() ? null : v.filter(),
                    ViewType.ACTIVE_ONLY,
                    v.size(),
                    v.order().isEmpty() ? List.of("attributes.start_time DESC") : List.of(v.order()),
                    token.isEmpty() ? null : token));
        } catch (MlflowException bad) {
            h.raw("<p class=\"error\" role=\"alert\" id=\"filter-error\">")
                    .text(bad.getMessage())
                    .raw("</p>");
            return Layout.page(e.name(), h);
        }
        if (page.items().isEmpty()) {
            h.raw("<p class=\"note\">No runs")
                    .text(v.filter().isEmpty() ? "." : " match this filter.")
                    .raw("</p>");
            return Layout.page(e.name(), h);
        }
        keysSeen(h, page.items());
        table(h, e.experimentId(), v, page.items());
        h.raw("<p class=\"pager\">");
        if (!token.isEmpty()) {
            h.link(v.link(e.experimentId(), v.order(), null), "First page");
            // page tokens are offsets, so the previous page is one page size back
            int previous = PageToken.decodeOffset(token) - v.size();
            h.link(
                    v.link(e.experimentId(), v.order(), previous <= 0 ? null : PageToken.encodeOffset(previous)),
                    "Previous page");
        }
        if (page.nextPageToken() != null) {
            h.link(v.link(e.experimentId(), v.order(), page.nextPageToken()), "Next page");
        }
        h.raw("</p>");
        return Layout.page(e.name(), h);
    }

    private static void form(Html h, String experimentId, View v) {
        h.raw("<form method=\"get\" action=\"/experiments/")
                .text(Html.q(experimentId))
                .raw("\">");
        h.raw(
                        "<div class=\"bar\"><label for=\"filter\">Filter</label><input type=\"text\" class=\"wide\" id=\"filter\" ")
                .raw("name=\"filter\" placeholder=\"metrics.acc &gt; 0.9 and params.lr = '0.1'\" value=\"")
                .text(v.filter())
                .raw("\" aria-describedby=\"filter-error\"><label for=\"order\">Sort</label>")
                .raw("<input type=\"text\" id=\"order\" name=\"order\" placeholder=\"metrics.acc DESC\" value=\"")
                .text(v.order())
                .raw("\"></div><div class=\"bar\">");
        field(h, "params", "Param columns", v.params());
        field(h, "metrics", "Metric columns", v.metrics());
        field(h, "tags", "Tag columns", v.tags());
        h.raw("<button type=\"submit\">Apply</button></div></form>");
    }

    private static void field(Html h, String name, String label, List<String> value) {
        h.raw("<label for=\"").raw(name).raw("\">").text(label).raw("</label>");
        h.raw("<input type=\"text\" id=\"")
                .raw(name)
                .raw("\" name=\"")
                .raw(name)
                .raw("\" value=\"")
                .text(String.join(",", value))
                .raw("\">");
    }

    /** The keys on this page, so a user knows what columns exist. */
    private static void keysSeen(Html h, List<Run> runs) {
        Set<String> params = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        for (Run r : runs) {
            r.data().params().forEach(p -> params.add(p.key()));
            r.data().metrics().forEach(m -> metrics.add(m.key()));
        }
        h.raw("<details><summary>Keys on this page</summary><p>Params: ")
                .text(String.join(", ", params))
                .raw("</p><p>Metrics: ")
                .text(String.join(", ", metrics))
                .raw("</p></details>");
    }

    private static void table(Html h, String experimentId, View v, List<Run> runs) {
        // ticked rows go to /compare as runs=A&runs=B: a plain form, no script needed
        h.raw("<form method=\"get\" action=\"/compare\" id=\"compare-form\"><p class=\"bar\">")
                .raw("<button type=\"submit\">Compare selected</button>")
                .raw(" <span class=\"note\">tick 2 to 10 runs</span></p>");
        h.raw("<table id=\"runs\"><thead><tr><th scope=\"col\">Compare</th>");
        header(h, experimentId, v, "Run", "attributes.run_name");
        header(h, experimentId, v, "Status", "attributes.status");
        header(h, experimentId, v, "Started", "attributes.start_time");
        header(h, experimentId, v, "User", "attributes.user_id");
        h.raw("<th scope=\"col\">Compliance</th><th scope=\"col\">Reproduction</th>");
        v.params().forEach(k -> header(h, experimentId, v, "params." + k, "params.`" + k + "`"));
        v.metrics().forEach(k -> header(h, experimentId, v, "metrics." + k, "metrics.`" + k + "`"));
        v.tags().forEach(k -> header(h, experimentId, v, "tags." + k, "tags.`" + k + "`"));
        h.raw("</tr></thead><tbody>");
        for (Run r : runs) {
            h.raw("<tr><td><input type=\"checkbox\" name=\"runs\" value=\"")
                    .text(r.info().runId())
                    .raw("\" aria-label=\"")
                    .text("compare " + name(r))
                    .raw("\"></td><td>")
                    .link("/runs/" + Html.q(r.info().runId()), name(r))
                    .raw("</td>");
            h.el("td", r.info().status())
                    .el("td", Html.time(r.info().startTime()))
                    .el("td", r.info().userId());
            h.raw("<td>");
            Badges.compliance(h, tag(r, "reprise.compliance"));
            h.raw("</td><td>");
            Badges.reproduction(h, tag(r, "reprise.reproduction.verdict"));
            h.raw("</td>");
            v.params().forEach(k -> h.el("td", param(r, k)));
            v.metrics()
                    .forEach(k -> h.raw("<td class=\"num\">").text(metric(r, k)).raw("</td>"));
            v.tags().forEach(k -> h.el("td", tag(r, k)));
            h.raw("</tr>");
        }
        h.raw("</tbody></table></form>");
    }

    /** A sortable header: a link that sorts by the column, descending first, then flips. */
    private static void header(Html h, String experimentId, View v, String label, String key) {
        String desc = key + " DESC";
        String next = v.order().equalsIgnoreCase(desc) ? key + " ASC" : desc;
        String mark = v.order().equalsIgnoreCase(desc)
                ? " \u2193"
                : v.order().equalsIgnoreCase(key + " ASC") ? " \u2191" : "";
        h.raw("<th scope=\"col\">")
                .link(v.link(experimentId, next, null), label + mark)
                .raw("</th>");
    }

    static String name(Run r) {
        String n = r.info().runName();
        return n == null || n.isEmpty() ? r.info().runId() : n;
    }

    static String tag(Run r, String key) {
        for (Tag t : r.data().tags()) {
            if (t.key().equals(key)) {
                return t.value();
            }
        }
        return "";
    }

    private static String param(Run r, String key) {
        for (Param p : r.data().params()) {
            if (p.key().equals(key)) {
                return p.value();
            }
        }
        return "";
    }

    private static String metric(Run r, String key) {
        for (Metric m : r.data().metrics()) {
            if (m.key().equals(key)) {
                return format(m.value());
            }
        }
        return "";
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v);
    }
}
