package io.reprise.web;

import io.reprise.model.MlflowException;
import io.reprise.model.Run;
import io.reprise.model.ViewType;
import io.reprise.store.RunQuery;
import io.reprise.store.TrackingStore;
import java.util.List;

/**
 * Recent reproductions, newest first: "run X from 3 months ago reproduced by Y in 4 min", linked to
 * the original and the reproduction run. Read from the tags {@code reprise reproduce} sets on the
 * original run (the reproduction contract): one paged search ordered by {@code
 * reprise.reproduction.at}, then one read per reproduction run shown.
 */
final class ReproductionFeed {
    static final String AUDITED = "tags.\"reprise.reproduction.verdict\" != ''";
    // epoch milliseconds are 13 digits until the year 2286, so text order is time order
    static final String NEWEST_FIRST = "tags.`reprise.reproduction.at` DESC";

    private final TrackingStore store;

    ReproductionFeed(TrackingStore store) {
        this.store = store;
    }

    /** The {@code limit} latest reproductions of runs of these experiments, as a list. */
    void render(Html h, List<String> experimentIds, int limit) {
        List<Run> originals = experimentIds.isEmpty()
                ? List.of()
                : store.searchRuns(new RunQuery(
                                experimentIds, AUDITED, ViewType.ACTIVE_ONLY, limit, List.of(NEWEST_FIRST), null))
                        .items();
        if (originals.isEmpty()) {
            h.raw("<p class=\"note\">No run has been reproduced yet: <code>reprise reproduce RUN_ID</code>"
                    + " re-runs a captured run and records the verdict here.</p>");
            return;
        }
        h.raw("<ul class=\"feed\">");
        for (Run original : originals) {
            item(h, original);
        }
        h.raw("</ul>");
    }

    private void item(Html h, Run original) {
        String verdict = RunsPage.tag(original, "reprise.reproduction.verdict");
        long at = number(RunsPage.tag(original, "reprise.reproduction.at"));
        String by = RunsPage.tag(original, "reprise.reproduction.by");
        Run repro = run(RunsPage.tag(original, "reprise.reproduction.run_id"));
        h.raw("<li>");
        Badges.reproduction(h, verdict);
        h.raw(" run ").link("/runs/" + Html.q(original.info().runId()), name(original));
        if (at - original.info().startTime() >= 60_000) { // "from 0 s ago" says nothing
            h.text(" from " + duration(at - original.info().startTime()) + " ago");
        }
        h.text(
                switch (verdict) {
                    case "REPRODUCED" -> " reproduced";
                    case "DIVERGED" -> " re-run and diverged";
                    default -> " could not be re-run";
                });
        if (!by.isEmpty()) {
            h.text(" by " + by);
        }
        if (repro != null
                && repro.info().endTime() != null
                && repro.info().endTime() >= repro.info().startTime()) {
            h.text(" in " + duration(repro.info().endTime() - repro.info().startTime()));
        }
        if (at > 0) {
            h.raw(" <span class=\"note\">(").text(Html.time(at)).raw(")</span>");
        }
        if (repro != null) {
            h.raw(" \u2192 reproduction ").link("/runs/" + Html.q(repro.info().runId()), name(repro));
        }
        h.raw("</li>");
    }

    /** The reproduction run, or null when there is none (FAILED before a run was created) or it is gone. */
    private Run run(String id) {
        if (id.isEmpty()) {
            return null;
        }
        try {
            return store.getRun(id);
        } catch (MlflowException gone) {
            return null;
        }
    }

    private static String name(Run r) {
        String name = r.info().runName();
        return name == null || name.isEmpty() ? r.info().runId() : name;
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A time span as people say it: "4 min", "3 months". */
    static String duration(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 2 * 86400) {
            return s / 3600 + " h";
        }
        long days = s / 86400;
        if (days < 60) {
            return days + " days";
        }
        if (days < 730) {
            return days / 30 + " months";
        }
        return days / 365 + " years";
    }
}
