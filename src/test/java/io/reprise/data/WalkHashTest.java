package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WalkHashTest {
    @Test
    void isStableAndSeesADifferentString() {
        assertThat(hash(List.of())).isEqualTo(hash(List.of())).hasSize(32);
        assertThat(hash(List.of("a"))).isNotEqualTo(hash(List.of("b")));
    }

    @Test
    void stringsDoNotBlurIntoTheirNeighbours() {
        // The same characters split differently between consecutive strings must differ.
        assertThat(hash(List.of("ab", "c"))).isNotEqualTo(hash(List.of("a", "bc")));
        assertThat(hash(List.of("abcd", ""))).isNotEqualTo(hash(List.of("", "abcd")));
        assertThat(hash(List.of("abcd\0"))).isNotEqualTo(hash(List.of("abcd")));
    }

    @Test
    void manyNearbyInputsGiveDistinctHashes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            WalkHash h = new WalkHash();
            h.add("shard-" + (i % 100) + "/file-" + i + ".txt");
            h.add(i);
            seen.add(h.hex());
            WalkHash swapped = new WalkHash(); // same parts, another order
            swapped.add(i);
            swapped.add("shard-" + (i % 100) + "/file-" + i + ".txt");
            seen.add(swapped.hex());
        }
        assertThat(seen).hasSize(100_000);
    }

    private static String hash(List<String> parts) {
        WalkHash h = new WalkHash();
        parts.forEach(h::add);
        return h.hex();
    }
}
