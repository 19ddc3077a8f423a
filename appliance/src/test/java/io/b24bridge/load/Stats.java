package io.b24bridge.load;

import java.util.Arrays;

/** Latencies in ms: how many, median, p99, max. */
record Stats(int n, double p50, double p99, double max) {

    static Stats of(long[] nanos) {
        if (nanos.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f / p99 %.2f / max %.1f ms (n=%d)", p50, p99, max, n);
    }
}
