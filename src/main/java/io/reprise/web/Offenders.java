package io.reprise.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The experiments and users with the most non-compliant or not-reproduced runs, each count linked
 * to the runs table filtered to exactly those runs (same window), so a lead goes from the number to
 * the runs in one click.
 */
final class Offenders {
    static final String NON_COMPLIANT = "tags.\"reprise.compliance\" = 'non-compliant'";
    static final String NOT_REPRODUCED = "tags.\"reprise.reproduction.verdict\" != 'REPRODUCED'";

    private Offenders() {}

    static void render(
            Html h,
            Map<String, Tally> byExperiment,
            Map<List<String>, Tally> byUserInExperiment,
            Map<String, String> names,
            long since,
            int limit) {
        if (byExperiment.values().stream().allMatch(t -> t.offences() == 0)) {
            h.raw("<p class=\"note\" id=\"offenders\">No non-compliant or diverged run in this window.</p>");
            return;
        }
        h.raw("<div id=\"offenders\">");
        experiments(h, byExperiment, names, since, limit, true);
        users(h, byUserInExperiment, names, since, limit);
        h.raw("</div>");
    }

    /** One row per experiment, worst first; {@code offendersOnly} leaves out the clean ones. */
    static void experiments(
            Html h,
            Map<String, Tally> byExperiment,
            Map<String, String> names,
            long since,
            int limit,
            boolean offendersOnly) {
        List<Map.Entry<String, Tally>> rows = byExperiment.entrySet().stream()
                .filter(e -> !offendersOnly || e.getValue().offences() > 0)
                .sorted(Comparator.<Map.Entry<String, Tally>>comparingLong(
                                e -> -e.getValue().offences())
                        .thenComparing(e -> names.getOrDefault(e.getKey(), e.getKey())))
                .limit(limit)
                .toList();
        if (rows.isEmpty()) {
            h.raw("<p class=\"note\">No run in this window.</p>");
            return;
        }
        h.raw("<table class=\"")
                .raw(offendersOnly ? "offenders-experiments" : "experiments")
                .raw("\"><thead><tr><th scope=\"col\">Experiment</th><th scope=\"col\">Runs</th>")
                .raw("<th scope=\"col\">Compliant</th><th scope=\"col\">Reproduced</th>")
                .raw("<th scope=\"col\">Non-compliant</th><th scope=\"col\">Not reproduced</th></tr></thead><tbody>");
        for (Map.Entry<String, Tally> row : rows) {
            String id = row.getKey();
            Tally t = row.getValue();
            h.raw("<tr><td>")
                    .link("/compliance?experiment=" + Html.q(id), names.getOrDefault(id, id))
                    .raw("</td><td class=\"num\">")
                    .link(runs(id, "attributes.start_time >= " + since), t.runs)
                    .raw("</td><td class=\"num\">")
                    .text(Tally.percent(t.compliantShare()))
                    .raw("</td><td class=\"num\">")
                    .text(Tally.percent(t.reproducedShare()))
                    .raw("</td>");
            count(h, id, "", t.nonCompliant, NON_COMPLIANT, since);
            count(h, id, "", t.diverged, NOT_REPRODUCED, since);
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void users(
            Html h, Map<List<String>, Tally> byUser, Map<String, String> names, long since, int limit) {
        List<Map.Entry<List<String>, Tally>> rows = byUser.entrySet().stream()
                .filter(e -> e.getValue().offences() > 0)
                .sorted(Comparator.<Map.Entry<List<String>, Tally>>comparingLong(
                                e -> -e.getValue().offences())
                        .thenComparing(e -> e.getKey().get(0))
                        .thenComparing(e -> e.getKey().get(1)))
                .limit(limit)
                .toList();
        h.raw("<table class=\"offenders-users\"><thead><tr><th scope=\"col\">User</th>")
                .raw("<th scope=\"col\">Experiment</th><th scope=\"col\">Non-compliant</th>")
                .raw("<th scope=\"col\">Not reproduced</th></tr></thead><tbody>");
        for (Map.Entry<List<String>, Tally> row : rows) {
            String user = row.getKey().get(0);
            String id = row.getKey().get(1);
            h.raw("<tr><td>")
                    .text(user.isEmpty() ? "(no user)" : user)
                    .raw("</td><td>")
                    .link("/experiments/" + Html.q(id), names.getOrDefault(id, id))
                    .raw("</td>");
            String who = userFilter(user);
            count(h, id, who, row.getValue().nonCompliant, NON_COMPLIANT, since);
            count(h, id, who, row.getValue().diverged, NOT_REPRODUCED, since);
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    /** A count cell, linked to those runs when there are some (and the user can be put in a filter). */
    private static void count(Html h, String experimentId, String userFilter, long n, String verdict, long since) {
        h.raw("<td class=\"num\">");
        if (n == 0 || userFilter == null) {
            h.text(n);
        } else {
            h.link(runs(experimentId, userFilter + verdict + " and attributes.start_time >= " + since), n);
        }
        h.raw("</td>");
    }

    static String runs(String experimentId, String filter) {
        return "/experiments/" + Html.q(experimentId) + "?filter=" + Html.q(filter);
    }

    /** {@code attributes.user_id = '...' and }, null when no quote can hold the name. */
    static String userFilter(String user) {
        String quote = !user.contains("'") ? "'" : !user.contains("\"") ? "\"" : null;
        return quote == null ? null : "attributes.user_id = " + quote + user + quote + " and ";
    }
}
