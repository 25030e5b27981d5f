package io.reprise.check;

import java.util.Arrays;
import java.util.List;

/** The sections {@code reprise check pr} requires, for tools that check a PR template has them. */
public final class PrTemplate {
    private PrTemplate() {}

    /** Titles of the required sections, in template order. */
    public static List<String> requiredSections() {
        return Arrays.stream(PrBody.Section.values()).map(s -> s.title).toList();
    }

    /** The titles of the required sections that have no heading in {@code markdown}. */
    public static List<String> missingSections(String markdown) {
        PrBody body = PrBody.parse(markdown);
        return Arrays.stream(PrBody.Section.values())
                .filter(s -> !body.present(s))
                .map(s -> s.title)
                .toList();
    }
}
