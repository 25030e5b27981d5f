package io.reprise.audit;

import static io.reprise.audit.Category.TEAM;

import java.util.List;
import java.util.Locale;

/** What the tracking server shows: a policy enforced, runs compliant, audited runs reproduced. */
final class TeamChecks {
    static final Rule POLICY = new Rule(
            "team.policy-enforced",
            TEAM,
            1,
            Severity.HIGH,
            "The server enforces a team policy on the audited experiments",
            "Rules that are only written down are followed by some; a policy in enforce mode refuses runs that"
                    + " miss what the team requires.",
            "Start the server with --policy policy.yaml (docs/policy.md) with a rule in 'enforce' mode matching"
                    + " the experiments.");
    static final Rule COMPLIANT = new Rule(
            "team.compliant-runs",
            TEAM,
            1,
            Severity.MEDIUM,
            "The runs comply with the policy",
            "Non-compliant runs lack what a reproduction needs (commit, data version, config, seed).",
            "Fix the runs listed by 'reprise check experiment NAME' and log what the policy requires.");
    static final Rule REPRODUCED = new Rule(
            "team.reproduced-runs",
            TEAM,
            1,
            Severity.HIGH,
            "Audited runs reproduce",
            "Reproducibility is only shown by reproducing: a result nobody re-ran may depend on something no"
                    + " record captured.",
            "Reproduce the baseline and the runs that matter: 'reprise reproduce RUN_ID' (it tags the original"
                    + " run with the verdict).");

    /** Shares at or above this count as met for the levels. */
    static final double MET = 0.9;

    private TeamChecks() {}

    static List<Outcome> run(TeamServer.Evidence e) {
        return List.of(policy(e), compliant(e), reproduced(e));
    }

    private static Outcome policy(TeamServer.Evidence e) {
        return switch (e.policyMode()) {
            case "enforce" -> Outcome.pass(POLICY);
            case "warn" ->
                Outcome.partial(
                        POLICY,
                        0.5,
                        List.of(Finding.at(
                                POLICY,
                                null,
                                0,
                                "the server's policy only warns for " + scope(e) + ": non-compliant runs are"
                                        + " accepted",
                                "Switch the rule to 'mode: enforce' once the team's runs comply.")));
            case "unknown" ->
                Outcome.fail(
                        POLICY,
                        Finding.at(
                                POLICY,
                                null,
                                0,
                                "no runs on " + e.server() + " for " + scope(e) + ": nothing shows a policy applies"));
            default ->
                Outcome.fail(
                        POLICY,
                        Finding.at(
                                POLICY, null, 0, "no policy rule of " + e.server() + " applies" + " to " + scope(e)));
        };
    }

    private static Outcome compliant(TeamServer.Evidence e) {
        if (e.judged() == 0) {
            return Outcome.fail(
                    COMPLIANT,
                    Finding.at(COMPLIANT, null, 0, "no ended run of " + scope(e) + " has a compliance verdict"));
        }
        if (e.compliant() == e.judged()) {
            return Outcome.pass(COMPLIANT);
        }
        return Outcome.partial(
                COMPLIANT,
                e.compliant() / (double) e.judged(),
                List.of(Finding.at(
                        COMPLIANT,
                        null,
                        0,
                        (e.judged() - e.compliant()) + " of " + e.judged() + " ended runs are non-compliant ("
                                + percent(e.compliant(), e.judged()) + " compliant)")));
    }

    private static Outcome reproduced(TeamServer.Evidence e) {
        if (e.audited() == 0) {
            return Outcome.fail(
                    REPRODUCED,
                    Finding.at(
                            REPRODUCED,
                            null,
                            0,
                            "no run of " + scope(e) + " has been reproduced (no reprise.reproduction.verdict tag)"));
        }
        if (e.reproduced() == e.audited()) {
            return Outcome.pass(REPRODUCED);
        }
        return Outcome.partial(
                REPRODUCED,
                e.reproduced() / (double) e.audited(),
                List.of(Finding.at(
                        REPRODUCED,
                        null,
                        0,
                        (e.audited() - e.reproduced()) + " of " + e.audited() + " audited runs did not reproduce"
                                + " (DIVERGED or FAILED)",
                        "Look at each run's reprise/reproductions/<n>.json for the diverging metrics and causes, fix, and"
                                + " reproduce again.")));
    }

    static String scope(TeamServer.Evidence e) {
        return e.experiments().size() == 1
                ? "experiment '" + e.experiments().get(0) + "'"
                : e.experiments().size() + " experiments";
    }

    static String percent(int part, int whole) {
        return String.format(Locale.ROOT, "%.0f%%", whole == 0 ? 0 : 100.0 * part / whole);
    }
}
