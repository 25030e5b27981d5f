package io.reprise.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DownsampleTest {
    static final int N = 100_000;

    /** A noisy falling loss with one spike and one dip a chart reader must see. */
    static double loss(int i) {
        if (i == 31_337) {
            return 9.5;
        }
        if (i == 77_777) {
            return -3.25;
        }
        return 2.0 * Math.exp(-i / 20_000.0) + 0.05 * Math.sin(i * 0.37);
    }

    @Test
    void aHundredThousandPointsKeepFirstLastSpikeAndDipWithinTheBound() {
        Downsample d = new Downsample(1000);
        for (int i = 0; i < N; i++) {
            d.add(i, 1_000L * i, loss(i));
        }
        List<Downsample.Point> kept = d.points();

        assertThat(d.count()).isEqualTo(N);
        assertThat(d.sampled()).isTrue();
        assertThat(kept).hasSizeLessThanOrEqualTo(1000).hasSizeGreaterThan(400);
        assertThat(kept.get(0).step()).isZero();
        assertThat(kept.get(0).value()).isEqualTo(loss(0));
        assertThat(kept.get(kept.size() - 1).step()).isEqualTo(N - 1);
        assertThat(kept.get(kept.size() - 1).value()).isEqualTo(loss(N - 1));
        assertThat(kept).anySatisfy(p -> {
            assertThat(p.step()).isEqualTo(31_337);
            assertThat(p.value()).isEqualTo(9.5);
        });
        assertThat(kept).anySatisfy(p -> {
            assertThat(p.step()).isEqualTo(77_777);
            assertThat(p.value()).isEqualTo(-3.25);
        });
        for (int i = 1; i < kept.size(); i++) {
            assertThat(kept.get(i).index()).isGreaterThan(kept.get(i - 1).index());
        }
        // every point kept is a real point of the history, not an average
        assertThat(kept).allSatisfy(p -> assertThat(p.value()).isEqualTo(loss((int) p.step())));
    }

    @Test
    void theLocalExtremesOfEveryStretchSurvive() {
        Downsample d = new Downsample(1000);
        for (int i = 0; i < N; i++) {
            d.add(i, i, loss(i));
        }
        List<Downsample.Point> kept = d.points();
        // split the history in 100 stretches: each stretch's max is in the sample
        for (int s = 0; s < 100; s++) {
            int from = s * 1000;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < from + 1000; i++) {
                max = Math.max(max, loss(i));
            }
            double stretchMax = max;
            assertThat(kept.stream()
                            .filter(p -> p.step() >= from && p.step() < from + 1000)
                            .mapToDouble(Downsample.Point::value)
                            .max()
                            .orElseThrow())
                    .as("stretch %d", s)
                    .isGreaterThanOrEqualTo(stretchMax - 0.2);
        }
    }

    @Test
    void aShortHistoryIsKeptWhole() {
        Downsample d = new Downsample(1000);
        for (int i = 0; i < 1000; i++) {
            d.add(i, i, i * 0.5);
        }
        assertThat(d.sampled()).isFalse();
        assertThat(d.points()).hasSize(1000);
        assertThat(d.points().get(999).value()).isEqualTo(499.5);
    }

    @Test
    void nanIsAGapNeverAnExtreme() {
        Downsample d = new Downsample(8);
        for (int i = 0; i < 100; i++) {
            d.add(i, i, i % 10 == 5 ? Double.NaN : i);
        }
        List<Downsample.Point> kept = d.points();
        assertThat(kept).hasSizeLessThanOrEqualTo(8);
        assertThat(kept.get(kept.size() - 1).value()).isEqualTo(99);
        assertThat(kept.stream().filter(p -> !Double.isNaN(p.value())).count()).isGreaterThan(2);
    }
}
