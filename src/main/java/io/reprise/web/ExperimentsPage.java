package io.reprise.web;

import io.javalin.http.Context;
import io.reprise.model.Experiment;
import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.model.ViewType;
import io.reprise.store.ExperimentQuery;
import io.reprise.store.TrackingStore;
import java.util.List;
import java.util.Map;

/** {@code /?q=...&page=...}: experiments with run counts, last activity and share of compliant runs. */
final class ExperimentsPage {
    static final int PAGE_SIZE = 20;

    private final TrackingStore store;
    private final Counts counts;

    ExperimentsPage(TrackingStore store) {
        this.store = store;
        this.counts = new Counts(store);
    }

    String render(Context ctx) {
        String q = Params.get(ctx, "q");
        String token = Params.get(ctx, "page");
        Html h = new Html().el("h1", "Experiments");
        h.raw("<form class=\"bar\" method=\"get\" action=\"/\" role=\"search\"><label for=\"q\">Search names</label>")
                .raw("<input type=\"search\" id=\"q\" name=\"q\" value=\"")
                .text(q)
                .raw("\"><button type=\"submit\">Search</button></form>");
        Page<Experiment> page = store.searchExperiments(new ExperimentQuery(
                filter(q),
                ViewType.ACTIVE_ONLY,
                PAGE_SIZE,
                List.of("last_update_time DESC"),
                token.isEmpty() ? null : token));
        if (page.items().isEmpty()) {
            h.raw("<p class=\"note\">No experiments")
                    .text(q.isEmpty() ? "." : " match \u201c" + q + "\u201d.")
                    .raw("</p>");
            return Layout.page("Experiments", h);
        }
        h.raw("<table><thead><tr><th scope=\"col\">Experiment</th><th scope=\"col\">Runs</th>")
                .raw("<th scope=\"col\">Last activity</th><th scope=\"col\">Compliant</th></tr></thead><tbody>");
        Map<String, Tally> tallies = counts.byExperiment(
                page.items().stream().map(Experiment::experimentId).toList());
        for (Experiment e : page.items()) {
            row(h, e, tallies.getOrDefault(e.experimentId(), new Tally()));
        }
        h.raw("</tbody></table>");
        if (page.nextPageToken() != null) {
            h.raw("<p class=\"pager\">")
                    .link("/?q=" + Html.q(q), "First page")
                    .link("/?q=" + Html.q(q) + "&page=" + Html.q(page.nextPageToken()), "Next page")
                    .raw("</p>");
        }
        return Layout.page("Experiments", h);
    }

    private void row(Html h, Experiment e, Tally runs) {
        Run newest = runs.runs == 0 ? null : counts.newest(e.experimentId());
        long last = Math.max(e.lastUpdateTime(), newest == null ? 0 : lastTouch(newest));
        h.raw("<tr><td>")
                .link("/experiments/" + Html.q(e.experimentId()), e.name())
                .raw("</td>");
        h.raw("<td class=\"num\">")
                .text(runs.runs)
                .raw("</td><td>")
                .text(Html.time(last))
                .raw("</td><td>");
        if (runs.judged() == 0) {
            h.raw("<span class=\"note\">no verdicts</span>");
        } else {
            h.text(Tally.percent(runs.compliantShare()) + " (" + runs.compliant + " of " + runs.judged() + " judged)");
        }
        h.raw("</td></tr>");
    }

    private static long lastTouch(Run r) {
        Long end = r.info().endTime();
        return end == null ? r.info().startTime() : Math.max(end, r.info().startTime());
    }

    /** A name search as the experiment filter grammar; the quote kind is chosen so the text stays literal. */
    static String filter(String q) {
        if (q.isEmpty()) {
            return null;
        }
        String quote = q.contains("'") ? "\"" : "'";
        String text = q.replace(quote, "").replace("%", "");
        return "name ILIKE " + quote + "%" + text + "%" + quote;
    }
}
