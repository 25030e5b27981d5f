package io.reprise.web;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A bounded sample of a metric history that keeps its shape, fed one point at a time so a history
 * of any length is read page by page in constant memory. Points are grouped into buckets of equal
 * length in arrival order; each bucket keeps its first, last, lowest and highest point (M4), so the
 * history's first and last points and its extremes always survive, as does every spike a reader
 * would see on a chart. When the buckets outgrow the bound, neighbours merge and the bucket length
 * doubles. A history no longer than the bound is kept whole.
 */
final class Downsample {
    /** One point: its position in the history, step, time and value (NaN for a gap). */
    record Point(long index, long step, long timestamp, double value) {}

    private final int maxPoints;
    private final int maxBuckets;
    private final List<Point> raw = new ArrayList<>();
    private final List<Bucket> buckets = new ArrayList<>();
    private long width = 1;
    private long count;

    /** {@code maxPoints} is at least 8: four points a bucket, two buckets. */
    Downsample(int maxPoints) {
        if (maxPoints < 8) {
            throw new IllegalArgumentException("maxPoints must be at least 8");
        }
        this.maxPoints = maxPoints;
        this.maxBuckets = maxPoints / 4;
    }

    void add(long step, long timestamp, double value) {
        Point p = new Point(count++, step, timestamp, value);
        if (buckets.isEmpty() && raw.size() < maxPoints) {
            raw.add(p);
            return;
        }
        if (buckets.isEmpty()) {
            raw.forEach(this::bucket);
            raw.clear();
        }
        bucket(p);
    }

    /** Points seen. */
    long count() {
        return count;
    }

    /** Whether {@link #points} is a sample rather than the whole history. */
    boolean sampled() {
        return !buckets.isEmpty();
    }

    /** The kept points in arrival order; at most {@code maxPoints}. */
    List<Point> points() {
        if (buckets.isEmpty()) {
            return List.copyOf(raw);
        }
        List<Point> out = new ArrayList<>(maxPoints);
        for (Bucket b : buckets) {
            TreeSet<Long> seen = new TreeSet<>();
            List<Point> four = new ArrayList<>(4);
            for (Point p : new Point[] {b.first, b.min, b.max, b.last}) {
                if (p != null && seen.add(p.index())) {
                    four.add(p);
                }
            }
            four.sort((x, y) -> Long.compare(x.index(), y.index()));
            out.addAll(four);
        }
        return out;
    }

    private void bucket(Point p) {
        Bucket last = buckets.isEmpty() ? null : buckets.get(buckets.size() - 1);
        if (last == null || last.count >= width) {
            buckets.add(new Bucket(p));
        } else {
            last.add(p);
        }
        if (buckets.size() > maxBuckets) {
            List<Bucket> merged = new ArrayList<>(buckets.size() / 2 + 1);
            for (int i = 0; i < buckets.size(); i += 2) {
                merged.add(i + 1 < buckets.size() ? buckets.get(i).merge(buckets.get(i + 1)) : buckets.get(i));
            }
            buckets.clear();
            buckets.addAll(merged);
            width *= 2;
        }
    }

    /** A run of consecutive points, remembered by four of them; NaN never counts as min or max. */
    private static final class Bucket {
        Point first;
        Point last;
        Point min;
        Point max;
        long count;

        Bucket(Point p) {
            first = p;
            last = p;
            count = 1;
            if (!Double.isNaN(p.value())) {
                min = p;
                max = p;
            }
        }

        void add(Point p) {
            last = p;
            count++;
            if (!Double.isNaN(p.value())) {
                if (min == null || p.value() < min.value()) {
                    min = p;
                }
                if (max == null || p.value() > max.value()) {
                    max = p;
                }
            }
        }

        /** This bucket followed by {@code next}, as one. */
        Bucket merge(Bucket next) {
            last = next.last;
            count += next.count;
            if (next.min != null && (min == null || next.min.value() < min.value())) {
                min = next.min;
            }
            if (next.max != null && (max == null || next.max.value() > max.value())) {
                max = next.max;
            }
            return this;
        }
    }
}
