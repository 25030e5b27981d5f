package io.reprise.policy;

import java.util.Locale;

/** What a rule does with a run that misses a requirement. */
public enum Mode {
    /** Refuse the create-run or the move to FINISHED. */
    ENFORCE,
    /** Accept it and mark the run non-compliant. */
    WARN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
