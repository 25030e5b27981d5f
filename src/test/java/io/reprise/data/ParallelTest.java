package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void runsEveryIndexExactlyOnce() throws IOException {
        AtomicIntegerArray seen = new AtomicIntegerArray(10_000);
        Parallel.forEach(3, seen.length(), "test", seen::incrementAndGet);
        for (int i = 0; i < seen.length(); i++) {
            assertThat(seen.get(i)).as("index %d", i).isEqualTo(1);
        }
        Parallel.forEach(4, 0, "test", i -> {
            throw new IOException("no index to run");
        });
    }

    @Test
    void spreadTakesEveryItemOnceAndNeighboursFromFarApart() {
        for (int n : new int[] {0, 1, 2, 6, 7, 8, 100, 20_001}) {
            for (int ways : new int[] {1, 3, 7}) {
                boolean[] taken = new boolean[n];
                for (int i = 0; i < n; i++) {
                    int item = Parallel.spread(i, n, ways);
                    assertThat(taken[item])
                            .as("n %d ways %d item %d", n, ways, item)
                            .isFalse();
                    taken[item] = true;
                }
            }
        }
        // Items taken one after the other (by two threads at once) lie a stripe apart.
        int n = 20_000;
        for (int i = 0; i + 1 < n - 7; i++) {
            assertThat(Math.abs(Parallel.spread(i + 1, n, 7) - Parallel.spread(i, n, 7)))
                    .isGreaterThanOrEqualTo(n / 7 - 1);
        }
    }

    @Test
    void theFirstFailureStopsNewWorkAndIsThrownAsItWas() {
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> Parallel.forEach(2, 100_000, "test", i -> {
                    ran.incrementAndGet();
                    if (i == 10) {
                        throw new IOException("disk full");
                    }
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThat(ran.get()).isLessThan(100_000);
        assertThatThrownBy(() -> Parallel.forEach(2, 5, "test", i -> {
                    throw new DataException("corrupted " + i);
                }))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("corrupted ");
    }
}
