package io.reprise.policy;

import java.util.List;
import java.util.Optional;

/** A team's rules, in file order; the first rule whose glob matches an experiment's name applies. */
public record Policy(String source, List<Rule> rules) {
    public Policy {
        rules = List.copyOf(rules);
    }

    public Optional<Rule> ruleFor(String experimentName) {
        return rules.stream()
                .filter(r -> r.experiments().matches(experimentName))
                .findFirst();
    }

    /** Whether any rule checks this tag or param key: a cheap test before re-reading a run. */
    public boolean mentions(String key) {
        return rules.stream().anyMatch(r -> r.mentions(key));
    }
}
