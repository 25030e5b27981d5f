package io.reprise.audit;

import java.util.Locale;

/** The weighted groups a repository is judged in; TEAM only when a tracking server is given. */
enum Category {
    ENVIRONMENT(20, "environment"),
    CONFIGURATION(15, "configuration"),
    RANDOMNESS(15, "randomness"),
    TRACKING(15, "tracking"),
    DATA(10, "data"),
    AUTOMATION(15, "automation"),
    DOCUMENTATION(10, "documentation"),
    TEAM(20, "team evidence");

    final int weight;
    final String title;

    Category(int weight, String title) {
        this.weight = weight;
        this.title = title;
    }

    /** The id in JSON and SARIF: lower case, as the title without spaces. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
