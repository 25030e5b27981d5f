package io.reprise.policy;

import java.util.List;

/** Requirements for the runs of experiments whose name matches a glob. */
public record Rule(String name, Glob experiments, Mode mode, List<Requirement> requirements, int line) {
    public Rule {
        requirements = List.copyOf(requirements);
    }

    /** Whether this rule checks the tag or param {@code key} (changes to it re-evaluate finished runs). */
    boolean mentions(String key) {
        return requirements.stream().anyMatch(r -> switch (r) {
            case Requirement.RequiredTag t -> t.key().equals(key);
            case Requirement.RequiredParam p -> p.key().equals(key);
            case Requirement.CleanTree c -> Requirement.DIRTY_TAG.equals(key);
            case Requirement.RequiredArtifact a -> false;
            case Requirement.AnyMetric m -> false;
        });
    }
}
