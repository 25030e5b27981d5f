package io.reprise.policy;

import io.reprise.model.MlflowException;
import io.reprise.model.Run;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The policy at the tracking layer's write points: create-run, status changes, and changes to tags
 * or params a rule requires. Each returns the verdict tags to store with the change, or throws
 * INVALID_PARAMETER_VALUE where an {@code enforce} rule refuses it.
 *
 * <p>The server owns the tags under {@code reprise.compliance} and {@code reprise.policy}: clients
 * cannot set or delete them ({@link #reserved}). Everything else under {@code reprise.*} is written by
 * {@code reprise run} through the ordinary API, like MLflow's own {@code mlflow.*} tags.
 */
public final class Compliance {
    public static final String TAG = "reprise.compliance";
    public static final String REASONS_TAG = TAG + ".reasons";
    public static final String RULE_TAG = TAG + ".rule";
    public static final String HISTORY_TAG = TAG + ".history";
    private static final List<String> RESERVED = List.of("reprise.compliance", "reprise.policy");
    private static final int MAX_TAG_VALUE = 5000; // under MLflow's 8000-character tag limit

    private final Supplier<Policy> policy;
    private final ArtifactFiles artifacts;

    /** {@code policy} gives the current policy (it may be reloaded at any time); null means none. */
    public Compliance(Supplier<Policy> policy, ArtifactFiles artifacts) {
        this.policy = policy;
        this.artifacts = artifacts;
    }

    public static Compliance off() {
        return new Compliance(null, run -> Optional.empty());
    }

    public boolean active() {
        return policy != null;
    }

    /** Whether only the server may write this run tag. */
    public static boolean reserved(String key) {
        return RESERVED.stream().anyMatch(p -> key.equals(p) || key.startsWith(p + "."));
    }

    /** Whether a change to this tag or param key may change a verdict (no I/O: safe on every write). */
    public boolean watches(String key) {
        return active() && policy.get().mentions(key);
    }

    /** A run about to be created with these tags: its verdict tags, or a refusal. */
    public List<Tag> onCreate(String experiment, List<Tag> tags) {
        Verdict v = verdict(experiment, RunView.creating(tags));
        if (refused(v)) {
            throw MlflowException.invalid(
                    "The team policy (rule '%s', mode enforce) refuses to create a run in experiment '%s': %s",
                    v.rule(), experiment, numbered(v.reasons()));
        }
        return tags(v);
    }

    /** A run whose status is about to become {@code status}: its verdict tags, or a refusal of FINISHED. */
    public List<Tag> onStatus(String experiment, Run run, RunStatus status) {
        Verdict v = verdict(experiment, RunView.of(run, status, artifacts));
        if (status == RunStatus.FINISHED && refused(v)) {
            throw MlflowException.invalid(
                    "The team policy (rule '%s', mode enforce) refuses to finish run %s in experiment '%s'; the run"
                            + " stays %s so you can log what is missing and end it again: %s",
                    v.rule(), run.info().runId(), experiment, run.info().status(), numbered(v.reasons()));
        }
        return tags(v);
    }

    /**
     * A required tag or param of an ended run changed ({@code change} says how): the new verdict
     * tags, with the change appended to the run's {@value #HISTORY_TAG} tag.
     */
    public List<Tag> onChange(String experiment, Run run, String change) {
        Verdict v = verdict(experiment, RunView.of(run, run.info().status(), artifacts));
        String before = run.data().tags().stream()
                .filter(t -> t.key().equals(TAG))
                .map(Tag::value)
                .findFirst()
                .orElse("none");
        String history = run.data().tags().stream()
                .filter(t -> t.key().equals(HISTORY_TAG))
                .map(Tag::value)
                .findFirst()
                .orElse("");
        String entry = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + change + " after the run ended: " + before
                + " -> " + v.outcome().label();
        List<Tag> out = new ArrayList<>(tags(v));
        out.add(new Tag(HISTORY_TAG, appended(history, entry)));
        return out;
    }

    /** The verdict of a stored run under the current policy, artifacts included. */
    public Verdict evaluate(String experiment, Run run) {
        if (!active()) {
            return new Verdict(
                    Verdict.Outcome.UNCHECKED,
                    List.of("the server has no policy; start it with 'reprise server --policy FILE'"),
                    "",
                    null);
        }
        return verdict(experiment, RunView.of(run, run.info().status(), artifacts));
    }

    /** Where the current policy comes from, or null. */
    public String source() {
        return active() ? policy.get().source() : null;
    }

    private Verdict verdict(String experiment, RunView run) {
        Optional<Rule> rule = policy.get().ruleFor(experiment);
        if (rule.isEmpty()) {
            return new Verdict(
                    Verdict.Outcome.COMPLIANT,
                    List.of("no rule of the policy matches experiment '" + experiment + "'"),
                    "",
                    null);
        }
        return Evaluator.verdict(rule.get(), run);
    }

    private static boolean refused(Verdict v) {
        return v.outcome() == Verdict.Outcome.NON_COMPLIANT && v.mode() == Mode.ENFORCE;
    }

    private static List<Tag> tags(Verdict v) {
        return List.of(
                new Tag(TAG, v.outcome().label()),
                new Tag(REASONS_TAG, cut(String.join("; ", v.reasons()))),
                new Tag(RULE_TAG, v.rule()));
    }

    private static String numbered(List<String> reasons) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < reasons.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(reasons.get(i));
        }
        return sb.toString();
    }

    /** Appends a line, dropping the oldest lines to stay under the tag limit. */
    private static String appended(String history, String entry) {
        String all = history.isEmpty() ? entry : history + "\n" + entry;
        while (all.length() > MAX_TAG_VALUE && all.indexOf('\n') >= 0) {
            all = all.substring(all.indexOf('\n') + 1);
        }
        return cut(all);
    }

    private static String cut(String v) {
        return v.length() <= MAX_TAG_VALUE ? v : v.substring(0, MAX_TAG_VALUE - 3) + "...";
    }
}
