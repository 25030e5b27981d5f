package io.reprise.policy;

import java.util.List;

/**
 * What the policy says of a run. {@code rule} is the rule's name, empty when no rule matches (or no
 * policy is loaded); {@code mode} is null then.
 */
public record Verdict(Outcome outcome, List<String> reasons, String rule, Mode mode) {
    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public enum Outcome {
        COMPLIANT("compliant"),
        NON_COMPLIANT("non-compliant"),
        /** Still running and nothing is wrong yet: the finish-time requirements are not checked before the end. */
        PENDING("pending"),
        /** The server has no policy. */
        UNCHECKED("unchecked");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
