package io.reprise.web;

import io.javalin.http.Context;
import io.reprise.audit.Audit;
import io.reprise.model.Experiment;
import io.reprise.model.Page;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import io.reprise.store.ExperimentQuery;
import io.reprise.store.RunCount;
import io.reprise.store.RunCountQuery;
import io.reprise.store.RunCountQuery.Group;
import io.reprise.store.TrackingStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /compliance?experiment=ID&weeks=N}: the team's standing over the last N weeks, overall or
 * for one experiment. Every number comes from one grouped count query in the store (a few hundred
 * rows of counts, whatever the number of runs), plus the reproduction feed's one page of runs.
 */
final class DashboardPage {
    static final int DEFAULT_WEEKS = 12;
    static final int MAX_WEEKS = 260;
    static final long WEEK_MS = 7L * 24 * 3600 * 1000;
    static final int OFFENDERS = 10;
    static final int FEED = 10;
    static final int MAX_EXPERIMENTS = 1000;
    static final double GATE = 0.9; // reprise audit's 90% for levels 3 and 4

    private final TrackingStore store;
    private final ReproductionFeed feed;

    DashboardPage(TrackingStore store) {
        this.store = store;
        this.feed = new ReproductionFeed(store);
    }

    /** The counts of the window, summed every way the page shows them. */
    private record Sums(
            Tally all,
            Map<String, Tally> byExperiment,
            Map<Long, Tally> byWeek,
            Map<List<String>, Tally> byUserInExperiment) {
        static Sums of(List<RunCount> rows) {
            Sums s = new Sums(new Tally(), new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (RunCount c : rows) {
                s.all.add(c);
                s.byExperiment
                        .computeIfAbsent(c.experimentId(), k -> new Tally())
                        .add(c);
                s.byWeek.computeIfAbsent(c.weekStart(), k -> new Tally()).add(c);
                s.byUserInExperiment
                        .computeIfAbsent(List.of(c.user(), c.experimentId()), k -> new Tally())
                        .add(c);
            }
            return s;
        }
    }

    String render(Context ctx) {
        String experimentId = Params.get(ctx, "experiment");
        Experiment only = experimentId.isEmpty() ? null : store.getExperiment(experimentId);
        Html h = new Html().el("h1", only == null ? "Compliance" : "Compliance of " + only.name());
        String weeksText = Params.get(ctx, "weeks");
        int weeks = weeks(weeksText);
        List<Experiment> experiments = experiments();
        form(h, experiments, experimentId, weeks);
        if (weeks < 0) {
            h.raw("<p class=\"error\" role=\"alert\" id=\"weeks-error\">")
                    .text("weeks must be a whole number from 1 to " + MAX_WEEKS + ", not \u201c" + weeksText
                            + "\u201d; showing the last " + DEFAULT_WEEKS + " weeks.")
                    .raw("</p>");
            weeks = DEFAULT_WEEKS;
        }
        long thisWeek = Instant.now()
                .atZone(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                .toInstant()
                .toEpochMilli();
        long since = thisWeek - (weeks - 1) * WEEK_MS;
        List<String> scope = only == null ? List.of() : List.of(only.experimentId());
        Sums sums = Sums.of(store.countRuns(new RunCountQuery(scope, since, EnumSet.allOf(Group.class))));
        Map<String, String> names = new HashMap<>();
        experiments.forEach(e -> names.put(e.experimentId(), e.name()));
        if (only != null) {
            names.put(only.experimentId(), only.name());
        }

        h.raw("<p class=\"note\">Runs started since ")
                .text(Html.time(since).substring(0, 10))
                .raw(" (")
                .text(weeks == 1 ? "this week" : "the last " + weeks + " weeks")
                .raw(", weeks start on Monday, UTC).</p>");
        summary(h, sums.all());
        maturity(h, sums.all());
        recordedAudits(h, only == null ? experiments : List.of(only));
        h.el("h2", "Trend by week");
        List<Long> weekStarts = new ArrayList<>();
        for (long w = since; w <= thisWeek; w += WEEK_MS) {
            weekStarts.add(w);
        }
        Trend.render(h, weekStarts, sums.byWeek());
        h.el("h2", "Worst offenders");
        Offenders.render(h, sums.byExperiment(), sums.byUserInExperiment(), names, since, OFFENDERS);
        if (only == null) {
            h.el("h2", "By experiment");
            Offenders.experiments(h, sums.byExperiment(), names, since, Integer.MAX_VALUE, false);
        }
        h.el("h2", "Recent reproductions");
        feed.render(
                h,
                only == null
                        ? experiments.stream().map(Experiment::experimentId).toList()
                        : List.of(only.experimentId()),
                FEED);
        return Layout.page("Compliance", h);
    }

    /**
     * The levels {@code reprise audit --record} left on experiments (tags {@code reprise.audit.*}):
     * the repository's full level, which the run evidence above can only bound.
     */
    private static void recordedAudits(Html h, List<Experiment> experiments) {
        List<Experiment> audited = experiments.stream()
                .filter(e -> tag(e, "reprise.audit.level") != null)
                .toList();
        if (audited.isEmpty()) {
            h.raw("<p id=\"recorded-audits\" class=\"note\">No audit recorded yet: <code>reprise audit"
                    + " --tracking-uri URL --experiment NAME --record</code> in the repository records its level"
                    + " here.</p>");
            return;
        }
        h.raw("<table id=\"recorded-audits\"><thead><tr><th scope=\"col\">Experiment</th>"
                + "<th scope=\"col\">Audited level</th><th scope=\"col\">Score</th>"
                + "<th scope=\"col\">Recorded</th></tr></thead><tbody>");
        for (Experiment e : audited) {
            String at = tag(e, "reprise.audit.at");
            h.raw("<tr><td>")
                    .text(e.name())
                    .raw("</td><td>")
                    .text(levelName(tag(e, "reprise.audit.level")))
                    .raw("</td><td>")
                    .text(String.valueOf(tag(e, "reprise.audit.score")))
                    .raw("</td><td>")
                    .text(at == null ? "" : at.substring(0, Math.min(10, at.length())))
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static String levelName(String level) {
        try {
            int n = Integer.parseInt(level);
            return Audit.levelName(n)
                    .map(name -> "level " + n + " (" + name + ")")
                    .orElse(level);
        } catch (NumberFormatException e) {
            return level;
        }
    }

    private static String tag(Experiment e, String key) {
        if (e.tags() == null) {
            return null;
        }
        return e.tags().stream()
                .filter(t -> t.key().equals(key))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    private static boolean compliantGate(Tally t) {
        return t.judged() > 0 && t.compliantShare() >= GATE;
    }

    private static boolean reproducedGate(Tally t) {
        return t.audited > 0 && t.reproducedShare() >= GATE;
    }

    /** The highest level these runs allow: 2 below the compliance gate, 3 below the reproduction gate, else 4. */
    static int ceiling(Tally t) {
        return !compliantGate(t) ? 2 : !reproducedGate(t) ? 3 : 4;
    }

    /** The weeks asked for; -1 for a value that is not one. */
    static int weeks(String text) {
        if (text.isEmpty()) {
            return DEFAULT_WEEKS;
        }
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= MAX_WEEKS ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Active experiments by name, for the filter (and their names); the first {@value #MAX_EXPERIMENTS}. */
    private List<Experiment> experiments() {
        Page<Experiment> page = store.searchExperiments(
                new ExperimentQuery(null, ViewType.ACTIVE_ONLY, MAX_EXPERIMENTS, List.of("name ASC"), null));
        return page.items();
    }

    private static void form(Html h, List<Experiment> experiments, String selected, int weeks) {
        h.raw("<form class=\"bar\" method=\"get\" action=\"/compliance\">")
                .raw("<label for=\"experiment\">Experiment</label><select id=\"experiment\" name=\"experiment\">")
                .raw("<option value=\"\">All experiments</option>");
        for (Experiment e : experiments) {
            h.raw("<option value=\"")
                    .text(e.experimentId())
                    .raw(e.experimentId().equals(selected) ? "\" selected>" : "\">")
                    .text(e.name())
                    .raw("</option>");
        }
        h.raw("</select><label for=\"weeks\">Weeks</label><input type=\"number\" id=\"weeks\" name=\"weeks\" min=\"1\"")
                .raw(" max=\"" + MAX_WEEKS + "\" value=\"")
                .text(weeks < 0 ? DEFAULT_WEEKS : weeks)
                .raw("\" aria-describedby=\"weeks-error\"><button type=\"submit\">Show</button></form>");
    }

    private static void summary(Html h, Tally all) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Runs", Long.toString(all.runs));
        rows.put(
                "Compliant",
                all.judged() == 0
                        ? "no verdicts (the server has no policy, or no run has ended under one)"
                        : Tally.percent(all.compliantShare()) + " (" + all.compliant + " of " + all.judged()
                                + " judged runs)");
        rows.put(
                "Reproduced",
                all.audited == 0
                        ? "no run audited yet"
                        : Tally.percent(all.reproducedShare()) + " (" + all.reproduced + " of " + all.audited
                                + " audited runs)");
        h.raw("<dl class=\"kv\" id=\"summary\">");
        rows.forEach((k, v) -> h.el("dt", k).el("dd", v));
        h.raw("</dl>");
    }

    /**
     * The maturity level (docs/audit.md) needs the repository: {@code reprise audit} scores its seven
     * local categories, the policy mode and CI. What the server holds is the run evidence, so the
     * page shows the two server-side gates and the highest level they allow.
     */
    private static void maturity(Html h, Tally all) {
        boolean compliant = compliantGate(all);
        boolean reproduced = reproducedGate(all);
        int ceiling = ceiling(all);
        h.el("h2", "Maturity");
        h.raw("<p id=\"maturity\">The run evidence on this server allows at most <strong>level ")
                .text(ceiling + " (" + Audit.levelName(ceiling).orElseThrow() + ")")
                .raw("</strong>.</p><ul>");
        h.raw("<li>");
        Badges.gate(h, compliant);
        h.text(" level 3 (Enforced) needs at least 90% of judged runs compliant");
        h.raw("</li><li>");
        Badges.gate(h, reproduced);
        h.text(" level 4 (Auditable) needs an audited run and at least 90% of audited runs reproduced");
        h.raw("</li></ul><p class=\"note\">The level itself also depends on the repository (its seven local"
                + " categories, the policy in enforce mode, CI running Reprise's gates): run <code>reprise audit"
                + " --tracking-uri URL</code> in the repository for it.</p>");
    }
}
