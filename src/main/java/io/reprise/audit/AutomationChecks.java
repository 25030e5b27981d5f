package io.reprise.audit;

import static io.reprise.audit.Category.AUTOMATION;

import io.reprise.check.PrTemplate;
import java.util.List;
import java.util.regex.Pattern;

/** CI runs the tests and Reprise's gates; a PR template asks for what the gates check. */
final class AutomationChecks {
    static final Rule CI = new Rule(
            "ci.present",
            AUTOMATION,
            3,
            Severity.MEDIUM,
            "Continuous integration is configured",
            "Checks that only run on someone's laptop stop running; CI runs them on every change.",
            "Add .github/workflows/ci.yml (GitHub) or .gitlab-ci.yml (GitLab); 'reprise init' writes both.");
    static final Rule TESTS = new Rule(
            "ci.tests",
            AUTOMATION,
            4,
            Severity.MEDIUM,
            "CI runs the tests",
            "Untested training code changes results silently; tests in CI catch it before the merge.",
            "Run the tests in CI, e.g. a step 'python -m pytest' (or 'python -m unittest').");
    static final Rule GATES = new Rule(
            "ci.reprise-gates",
            AUTOMATION,
            4,
            Severity.MEDIUM,
            "CI runs Reprise's gates",
            "Without a gate, the team policy and this audit are advice; 'reprise audit --fail-under N' and"
                    + " 'reprise check' make them part of every merge.",
            "Add CI steps 'reprise audit --fail-under 80' and 'reprise check pr --body -' (docs/ci-gates.md).");
    static final Rule PR_TEMPLATE = new Rule(
            "pr.template",
            AUTOMATION,
            4,
            Severity.LOW,
            "A pull-request template asks for runs, config, data version, results and how to reproduce",
            "A PR that quotes results without the runs, config and data behind them cannot be checked;"
                    + " 'reprise check pr' verifies these sections.",
            "Add .github/pull_request_template.md (or .gitlab/merge_request_templates/Default.md) with the"
                    + " sections " + String.join(", ", PrTemplate.requiredSections()) + ".");

    private static final Pattern CI_FILE = Pattern.compile("^\\.github/workflows/[^/]+\\.ya?ml$|^\\.gitlab-ci\\.yml$"
            + "|^\\.gitlab/ci/.+\\.ya?ml$|^Jenkinsfile$|^\\.circleci/config\\.yml$|^azure-pipelines\\.yml$"
            + "|^bitbucket-pipelines\\.yml$|^\\.woodpecker\\.ya?ml$|^\\.drone\\.yml$");
    private static final Pattern TEST_COMMAND = Pattern.compile("\\b(pytest|py\\.test|unittest|tox|nox|make test"
            + "|just test|hatch test|hatch run test|pixi run test|poe test|task test|mise run test|mise test)\\b");
    private static final Pattern GATE_COMMAND = Pattern.compile("\\breprise(\\.jar)?['\"]?\\s+(audit|check)\\b");
    private static final Pattern PR_TEMPLATE_FILE =
            Pattern.compile("(?i)^(\\.github/|docs/)?pull_request_template\\.md$"
                    + "|^\\.github/PULL_REQUEST_TEMPLATE/[^/]+\\.md$|^\\.gitlab/merge_request_templates/[^/]+\\.md$");

    private AutomationChecks() {}

    static List<String> ciFiles(Project p) {
        return p.files(f -> CI_FILE.matcher(f).find());
    }

    static List<Outcome> run(Project p) {
        List<String> ci = ciFiles(p);
        String all =
                String.join("\n", ci.stream().map(f -> p.text(f).orElse("")).toList());
        Outcome present = ci.isEmpty()
                ? Outcome.fail(CI, Finding.at(CI, null, 0, "no CI configuration (.github/workflows, .gitlab-ci.yml)"))
                : Outcome.pass(CI);
        Outcome tests = TEST_COMMAND.matcher(all).find()
                ? Outcome.pass(TESTS)
                : Outcome.fail(
                        TESTS,
                        Finding.at(
                                TESTS,
                                ci.isEmpty() ? null : ci.get(0),
                                0,
                                ci.isEmpty() ? "no CI runs the tests" : "the CI configuration runs no tests"));
        Outcome gates = GATE_COMMAND.matcher(all).find()
                ? Outcome.pass(GATES)
                : Outcome.fail(
                        GATES,
                        Finding.at(
                                GATES,
                                ci.isEmpty() ? null : ci.get(0),
                                0,
                                "no CI step runs 'reprise audit' or 'reprise check'"));
        return List.of(present, tests, gates, template(p));
    }

    private static Outcome template(Project p) {
        List<String> templates = p.files(f -> PR_TEMPLATE_FILE.matcher(f).find());
        if (templates.isEmpty()) {
            return Outcome.fail(PR_TEMPLATE, Finding.at(PR_TEMPLATE, null, 0, "no pull-request template"));
        }
        List<String> best = null;
        String bestFile = null;
        for (String f : templates) {
            List<String> missing = PrTemplate.missingSections(p.text(f).orElse(""));
            if (best == null || missing.size() < best.size()) {
                best = missing;
                bestFile = f;
            }
        }
        if (best.isEmpty()) {
            return Outcome.pass(PR_TEMPLATE);
        }
        int required = PrTemplate.requiredSections().size();
        return Outcome.partial(
                PR_TEMPLATE,
                (required - best.size()) / (double) required,
                List.of(Finding.at(
                        PR_TEMPLATE,
                        bestFile,
                        1,
                        bestFile + " has no section "
                                + String.join(
                                        ", ",
                                        best.stream().map(s -> "'" + s + "'").toList()),
                        "Add a heading for each: "
                                + String.join(
                                        ", ", best.stream().map(s -> "## " + s).toList()) + ".")));
    }
}
