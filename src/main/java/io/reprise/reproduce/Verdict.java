package io.reprise.reproduce;

/** The outcome of a reproduction, as recorded in {@code reprise.reproduction.verdict}. */
public enum Verdict {
    /** Every metric and output artifact matched (within tolerances), on the recorded inputs. */
    REPRODUCED,
    /** The reproduction ran but a metric, an output or its data differs from the original. */
    DIVERGED,
    /** The reproduction could not be carried out (commit, data, command...): the reason says why. */
    FAILED
}
