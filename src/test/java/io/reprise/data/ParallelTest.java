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
