package io.reprise.tracking;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Generated run names in MLflow's "adjective-noun-NNN" style. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of(
            "able", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "fair", "gentle", "glad",
            "grand", "honest", "keen", "kind", "lively", "lucky", "merry", "nimble", "proud", "quick", "quiet", "rare",
            "sharp", "shy", "smart", "steady", "sunny", "swift", "tidy", "wise");
    private static final List<String> NOUNS = List.of(
            "ant", "bass", "bear", "bee", "cat", "colt", "crab", "crane", "deer", "dove", "eel", "elk", "finch", "fox",
            "frog", "goat", "hare", "hawk", "lark", "lynx", "mole", "moth", "newt", "owl", "ram", "seal", "shrew",
            "snail", "swan", "toad", "whale", "wolf");

    private RunNames() {}

    static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(r.nextInt(NOUNS.size())) + "-"
                + r.nextInt(1000);
    }
}
