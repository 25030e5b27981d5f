package io.reprise.policy;

import java.util.Locale;

/** When a requirement is checked: at create-run, or when the run ends. */
public enum Stage {
    START,
    FINISH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
