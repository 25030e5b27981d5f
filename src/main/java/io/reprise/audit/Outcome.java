package io.reprise.audit;

import java.util.List;

/**
 * The result of one rule.
 *
 * @param applicable false when the rule does not concern this repository (no torch imported, no
 *     Dockerfile): it then counts neither for nor against the score
 * @param earned the share of the rule's points earned, 0..1
 * @param findings what to fix; empty when {@code earned} is 1
 */
record Outcome(Rule rule, boolean applicable, double earned, List<Finding> findings) {
    Outcome {
        if (earned < 0 || earned > 1) {
            throw new IllegalArgumentException("earned must be within 0..1: " + earned);
        }
        findings = List.copyOf(findings);
    }

    static Outcome pass(Rule rule) {
        return new Outcome(rule, true, 1, List.of());
    }

    static Outcome notApplicable(Rule rule) {
        return new Outcome(rule, false, 1, List.of());
    }

    static Outcome fail(Rule rule, Finding... findings) {
        return new Outcome(rule, true, 0, List.of(findings));
    }

    static Outcome partial(Rule rule, double earned, List<Finding> findings) {
        return new Outcome(rule, true, findings.isEmpty() ? 1 : Math.max(0, Math.min(1, earned)), findings);
    }
}
