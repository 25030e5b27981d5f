package io.reprise.audit;

import static io.reprise.audit.Category.DOCUMENTATION;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A README that says how to set up, how to reproduce and what the results are. */
final class DocumentationChecks {
    static final Rule README = rule(
            "doc.readme",
            2,
            Severity.MEDIUM,
            "The repository has a README",
            "Add a README.md: what the project does, how to set it up, how to reproduce its results.");
    static final Rule SETUP = rule(
            "doc.setup",
            3,
            Severity.MEDIUM,
            "The README says how to set up the environment",
            "Add a '## Setup' section with the commands that create the environment from the lock file.");
    static final Rule REPRODUCE = rule(
            "doc.reproduce",
            3,
            Severity.MEDIUM,
            "The README says how to reproduce the results",
            "Add a '## Reproduce' section: the commands that pull the data and run training and evaluation.");
    static final Rule RESULTS = rule(
            "doc.results",
            2,
            Severity.LOW,
            "The README reports results",
            "Add a '## Results' section with the main metrics and the runs (links) they come from.");

    private static final Pattern MD_HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern RST_UNDERLINE = Pattern.compile("^([=\\-~^\"'`#*+])\\1{2,}\\s*$");
    private static final Pattern SETUP_HEADING = Pattern.compile(
            "(?i)\\b(setup|set up|install|installation|getting started|requirements|environment|prerequisites)\\b");
    private static final Pattern REPRODUCE_HEADING =
            Pattern.compile("(?i)\\b(reproduc\\w*|usage|how to run|running|run|train\\w*|quick ?start)\\b");
    private static final Pattern RESULTS_HEADING =
            Pattern.compile("(?i)\\b(results?|evaluation|benchmarks?|performance|metrics)\\b");

    private DocumentationChecks() {}

    private static Rule rule(String id, double points, Severity severity, String title, String fix) {
        return new Rule(
                id,
                DOCUMENTATION,
                points,
                severity,
                title,
                "The README is where a colleague (or you, in a year) starts; what it does not say has to be"
                        + " rediscovered, and is rediscovered differently.",
                fix);
    }

    static List<Outcome> run(Project p) {
        Optional<String> readme = p
                .files(f -> !f.contains("/") && Project.lower(f).startsWith("readme"))
                .stream()
                .findFirst();
        if (readme.isEmpty()) {
            Finding none = Finding.at(README, null, 0, "no README at the top of the repository");
            return List.of(
                    Outcome.fail(README, none),
                    Outcome.fail(SETUP, Finding.at(SETUP, null, 0, "no README, so no setup instructions")),
                    Outcome.fail(REPRODUCE, Finding.at(REPRODUCE, null, 0, "no README, so no reproduction steps")),
                    Outcome.fail(RESULTS, Finding.at(RESULTS, null, 0, "no README, so no results")));
        }
        String file = readme.get();
        List<String> headings = headings(p.lines(file));
        return List.of(
                Outcome.pass(README),
                section(file, headings, SETUP, SETUP_HEADING, "setup / installation"),
                section(file, headings, REPRODUCE, REPRODUCE_HEADING, "reproduce / usage"),
                section(file, headings, RESULTS, RESULTS_HEADING, "results"));
    }

    private static Outcome section(String file, List<String> headings, Rule rule, Pattern pattern, String what) {
        for (String h : headings) {
            if (pattern.matcher(h).find()) {
                return Outcome.pass(rule);
            }
        }
        return Outcome.fail(rule, Finding.at(rule, file, 1, file + " has no " + what + " section"));
    }

    /** Markdown ATX headings and reStructuredText underlined titles (code blocks skipped). */
    static List<String> headings(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.strip().startsWith("```") || l.strip().startsWith("~~~")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            Matcher m = MD_HEADING.matcher(l);
            if (m.matches()) {
                out.add(m.group(1));
            } else if (i > 0
                    && !lines.get(i - 1).isBlank()
                    && RST_UNDERLINE.matcher(l).matches()) {
                out.add(lines.get(i - 1).strip());
            }
        }
        return out;
    }
}
