package io.reprise.policy;

import io.reprise.policy.Requirement.AnyMetric;
import io.reprise.policy.Requirement.CleanTree;
import io.reprise.policy.Requirement.RequiredArtifact;
import io.reprise.policy.Requirement.RequiredParam;
import io.reprise.policy.Requirement.RequiredTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a run against a rule. Each unmet requirement gives one reason: what is wrong, then how to
 * supply it, in words a data scientist reads in the traceback of {@code mlflow.start_run()}.
 */
final class Evaluator {
    private Evaluator() {}

    /** The verdict of a run under {@code rule}: start requirements always, finish ones once it ended. */
    static Verdict verdict(Rule rule, RunView run) {
        boolean ended = run.status().isTerminal();
        List<String> reasons = unmet(rule, run, ended ? Stage.FINISH : Stage.START);
        Verdict.Outcome outcome = !reasons.isEmpty()
                ? Verdict.Outcome.NON_COMPLIANT
                : ended ? Verdict.Outcome.COMPLIANT : Verdict.Outcome.PENDING;
        return new Verdict(outcome, reasons, rule.name(), rule.mode());
    }

    /** The reasons the run misses requirements checked up to {@code stage} (START: only those). */
    static List<String> unmet(Rule rule, RunView run, Stage stage) {
        List<String> reasons = new ArrayList<>();
        Optional<List<String>> artifacts = null;
        for (Requirement r : rule.requirements()) {
            if (stage == Stage.START && r.at() != Stage.START) {
                continue;
            }
            String reason = switch (r) {
                case RequiredTag t -> keyed("tag", t.key(), t.regex(), run.tags(), hint(t));
                case RequiredParam p -> keyed("param", p.key(), p.regex(), run.params(), hint(p));
                case AnyMetric m -> run.anyMetric() ? null : "no metric was logged: " + or(m.hint(), DEFAULT_METRIC);
                case CleanTree c -> cleanTree(run.tags().get(Requirement.DIRTY_TAG), c.hint());
                case RequiredArtifact a -> {
                    if (artifacts == null) {
                        artifacts = run.artifacts().get();
                    }
                    yield artifact(a, artifacts);
                }
            };
            if (reason != null) {
                reasons.add(reason);
            }
        }
        return reasons;
    }

    private static final String DEFAULT_METRIC =
            "log at least one before the run ends, e.g. mlflow.log_metric('accuracy', acc)";
    private static final String DEFAULT_CLEAN =
            "commit (or stash) your changes and start the run with 'reprise run', which records the tree state";

    private static String keyed(String kind, String key, Pattern regex, Map<String, String> values, String hint) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            return kind + " '" + key + "' is missing: " + hint;
        }
        if (regex != null && !regex.matcher(value).matches()) {
            return kind + " '" + key + "' is '" + shorten(value) + "', which does not match /" + regex.pattern() + "/: "
                    + hint;
        }
        return null;
    }

    private static String cleanTree(String dirty, String hint) {
        if ("false".equals(dirty)) {
            return null;
        }
        String what = dirty == null
                ? "the working tree state is unknown (no '" + Requirement.DIRTY_TAG + "' tag)"
                : "the working tree had uncommitted changes ('" + Requirement.DIRTY_TAG + "' is '" + shorten(dirty)
                        + "')";
        return what + ": " + or(hint, DEFAULT_CLEAN);
    }

    private static String artifact(RequiredArtifact a, Optional<List<String>> files) {
        if (files.isEmpty()) {
            return "no artifact matching '" + a.glob() + "' can be found: this server cannot list the run's"
                    + " artifacts; log them through the server (mlflow-artifacts:)";
        }
        if (files.get().stream().anyMatch(a.glob()::matches)) {
            return null;
        }
        return "no artifact matches '" + a.glob() + "': "
                + or(a.hint(), "log the file before the run ends, e.g. " + example(a.glob()));
    }

    private static String hint(RequiredTag t) {
        if (t.hint() != null) {
            return t.hint();
        }
        return switch (t.key()) {
            case "mlflow.source.git.commit" ->
                "run your script from a git checkout (MLflow sends the commit itself), or pass"
                        + " tags={'mlflow.source.git.commit': '<commit sha>'} to mlflow.start_run()";
            case "mlflow.user" ->
                "MLflow sends your login name; or pass tags={'mlflow.user': '<you>'} to mlflow.start_run()";
            default ->
                t.at() == Stage.START
                        ? "pass tags={'" + t.key() + "': '...'} to mlflow.start_run()"
                        : "set it before the run ends: mlflow.set_tag('" + t.key() + "', ...)";
        };
    }

    private static String hint(RequiredParam p) {
        return or(p.hint(), "log it before the run ends: mlflow.log_param('" + p.key() + "', ...)");
    }

    /** "mlflow.log_artifact('train.yaml', artifact_path='configs')" for "configs/*.yaml". */
    private static String example(Glob glob) {
        String g = glob.text();
        int slash = g.lastIndexOf('/');
        String dir = slash < 0 ? "" : g.substring(0, slash);
        String name =
                (slash < 0 ? g : g.substring(slash + 1)).replace("*", "file").replace("?", "x");
        boolean plainDir = !dir.isEmpty() && !dir.contains("*") && !dir.contains("?");
        return "mlflow.log_artifact('" + name + "'" + (plainDir ? ", artifact_path='" + dir + "'" : "") + ")";
    }

    private static String or(String hint, String fallback) {
        return hint != null ? hint : fallback;
    }

    private static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }
}
