package io.reprise.policy;

import java.util.regex.Pattern;

/** One thing a rule requires of a run. {@code hint} (may be null) tells the user how to supply it. */
public sealed interface Requirement {
    /** The capture tag that says whether the git working tree had uncommitted changes. */
    String DIRTY_TAG = "reprise.git.dirty";

    Stage at();

    /** A tag by key, with a value matching {@code regex} (whole value) when one is given. */
    record RequiredTag(String key, Pattern regex, Stage at, String hint) implements Requirement {}

    /** A param by key; create-run carries no params, so params are always checked at finish. */
    record RequiredParam(String key, Pattern regex, String hint) implements Requirement {
        @Override
        public Stage at() {
            return Stage.FINISH;
        }
    }

    /** At least one artifact whose path (relative to the run's artifact root) matches the glob. */
    record RequiredArtifact(Glob glob, String hint) implements Requirement {
        @Override
        public Stage at() {
            return Stage.FINISH;
        }
    }

    /** At least one metric. */
    record AnyMetric(String hint) implements Requirement {
        @Override
        public Stage at() {
            return Stage.FINISH;
        }
    }

    /**
     * The run's code had no uncommitted changes: the {@value #DIRTY_TAG} tag that {@code reprise run}
     * logs right after creating the run says "false". Checked at finish for that reason.
     */
    record CleanTree(String hint) implements Requirement {
        @Override
        public Stage at() {
            return Stage.FINISH;
        }
    }
}
