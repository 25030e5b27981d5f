package io.reprise.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit's verdict: the score, the level and the findings ranked by what fixing each would add
 * to the score. The formula and the level rules are documented in docs/audit.md.
 */
record Report(
        String root,
        int score,
        int level,
        List<CategoryScore> categories,
        List<Item> items,
        List<String> levelReasons,
        List<String> nextLevel,
        TeamServer.Evidence team,
        List<String> warnings) {

    static final List<String> LEVEL_NAMES = List.of("Chaos", "Aware", "Standard", "Enforced", "Auditable");
    /** Every local category must reach this share for level 1, and {@link #STANDARD} for level 2. */
    static final double AWARE = 0.40;

    static final double STANDARD = 0.75;
    /** Level 4 also needs every local category at this share. */
    static final double AUDITABLE = 0.90;

    /**
     * A category's result.
     *
     * @param score earned points over the applicable rules' points, 0..1
     */
    record CategoryScore(Category category, boolean applicable, double score, List<Outcome> outcomes) {}

    /** A finding and the score points fixing it would add. */
    record Item(Finding finding, double gain) {}

    String levelName() {
        return LEVEL_NAMES.get(level);
    }

    static Report of(String root, List<Outcome> outcomes, TeamServer.Evidence team, List<String> warnings) {
        Map<Category, List<Outcome>> by = new EnumMap<>(Category.class);
        outcomes.forEach(o ->
                by.computeIfAbsent(o.rule().category(), c -> new ArrayList<>()).add(o));
        List<CategoryScore> categories = new ArrayList<>();
        for (Category c : Category.values()) {
            List<Outcome> os = by.getOrDefault(c, List.of());
            double max = os.stream()
                    .filter(Outcome::applicable)
                    .mapToDouble(o -> o.rule().points())
                    .sum();
            double earned = os.stream()
                    .filter(Outcome::applicable)
                    .mapToDouble(o -> o.rule().points() * o.earned())
                    .sum();
            categories.add(new CategoryScore(c, max > 0, max > 0 ? earned / max : 0, os));
        }
        double totalWeight = categories.stream()
                .filter(CategoryScore::applicable)
                .mapToInt(cs -> cs.category().weight)
                .sum();
        double weighted = categories.stream()
                .filter(CategoryScore::applicable)
                .mapToDouble(cs -> cs.category().weight * cs.score())
                .sum();
        int score = totalWeight == 0 ? 0 : (int) Math.floor(100 * weighted / totalWeight + 1e-9);
        List<Item> items = items(categories, totalWeight);
        Levels levels = Levels.of(categories, team);
        return new Report(
                root,
                score,
                levels.level(),
                categories,
                items,
                levels.reasons(),
                levels.next(),
                team,
                List.copyOf(warnings));
    }

    /** Each outcome's lost points, split evenly among its findings; biggest gain first. */
    private static List<Item> items(List<CategoryScore> categories, double totalWeight) {
        List<Item> items = new ArrayList<>();
        for (CategoryScore cs : categories) {
            double max = cs.outcomes().stream()
                    .filter(Outcome::applicable)
                    .mapToDouble(o -> o.rule().points())
                    .sum();
            for (Outcome o : cs.outcomes()) {
                if (!o.applicable() || o.findings().isEmpty()) {
                    continue;
                }
                double lost = 100.0
                        * cs.category().weight
                        / totalWeight
                        * (1 - o.earned())
                        * o.rule().points()
                        / max;
                for (Finding f : o.findings()) {
                    items.add(new Item(f, lost / o.findings().size()));
                }
            }
        }
        items.sort(Comparator.comparingDouble((Item i) -> -round1(i.gain()))
                .thenComparing(i -> i.finding().rule().severity())
                .thenComparing(i -> i.finding().rule().id())
                .thenComparing(i -> i.finding().location()));
        return List.copyOf(items);
    }

    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", Math.floor(share * 100 + 1e-9));
    }

    /** The level and why: the weakest local category caps it; team evidence lifts it past 2. */
    record Levels(int level, List<String> reasons, List<String> next) {
        static Levels of(List<CategoryScore> categories, TeamServer.Evidence team) {
            List<CategoryScore> local = categories.stream()
                    .filter(cs -> cs.applicable() && cs.category() != Category.TEAM)
                    .toList();
            CategoryScore weakest = local.stream()
                    .min(Comparator.comparingDouble(CategoryScore::score))
                    .orElse(null);
            double min = weakest == null ? 0 : weakest.score();
            List<String> reasons = new ArrayList<>();
            List<String> next = new ArrayList<>();
            int level = min >= STANDARD ? 2 : min >= AWARE ? 1 : 0;
            if (level < 2) {
                double target = level == 0 ? AWARE : STANDARD;
                reasons.add("held back by " + weakest.category().title + " (" + percent(min) + ")");
                next.add("level " + (level + 1) + " (" + LEVEL_NAMES.get(level + 1) + "): every category at "
                        + percent(target) + " or more; below: " + below(local, target));
                return new Levels(level, reasons, next);
            }
            if (team == null) {
                reasons.add("levels 3 and 4 need team evidence from the tracking server");
                next.add("level 3 (Enforced): audit with --tracking-uri URL so the server's policy, compliance and"
                        + " reproductions count");
                return new Levels(2, reasons, next);
            }
            List<String> enforced = enforcedGaps(categories, team);
            if (!enforced.isEmpty()) {
                reasons.addAll(enforced);
                next.add("level 3 (Enforced): " + String.join("; ", enforced));
                return new Levels(2, reasons, next);
            }
            List<String> auditable = new ArrayList<>();
            if (team.audited() == 0) {
                auditable.add("no run has been reproduced");
            } else if (team.reproduced() < TeamChecks.MET * team.audited()) {
                auditable.add("only " + TeamChecks.percent(team.reproduced(), team.audited())
                        + " of audited runs reproduced (90% needed)");
            }
            if (min < AUDITABLE) {
                auditable.add("every category at 90% or more; below: " + below(local, AUDITABLE));
            }
            if (!auditable.isEmpty()) {
                reasons.addAll(auditable);
                next.add("level 4 (Auditable): " + String.join("; ", auditable));
                return new Levels(3, reasons, next);
            }
            return new Levels(4, reasons, next);
        }

        private static List<String> enforcedGaps(List<CategoryScore> categories, TeamServer.Evidence team) {
            List<String> gaps = new ArrayList<>();
            if (!team.policyMode().equals("enforce")) {
                gaps.add("the server does not enforce a policy on " + TeamChecks.scope(team) + " (" + team.policyMode()
                        + ")");
            }
            if (team.judged() == 0) {
                gaps.add("no ended run has a compliance verdict");
            } else if (team.compliant() < TeamChecks.MET * team.judged()) {
                gaps.add("only " + TeamChecks.percent(team.compliant(), team.judged())
                        + " of runs compliant (90% needed)");
            }
            double automation = categories.stream()
                    .filter(cs -> cs.category() == Category.AUTOMATION)
                    .mapToDouble(CategoryScore::score)
                    .findFirst()
                    .orElse(0);
            if (automation < 1) {
                gaps.add("automation at " + percent(automation) + " (CI must run the tests and Reprise's gates)");
            }
            return gaps;
        }

        private static String below(List<CategoryScore> local, double target) {
            return String.join(
                    ", ",
                    local.stream()
                            .filter(cs -> cs.score() < target)
                            .sorted(Comparator.comparingDouble(CategoryScore::score))
                            .map(cs -> cs.category().title + " " + percent(cs.score()))
                            .toList());
        }
    }
}
