package io.b24bridge.pbx;

/**
 * Events per second over the last ten whole seconds: ten one-second buckets in a ring. One thread counts
 * (the AMI listener), any thread reads.
 */
final class EventRate {

    private static final int SECONDS = 10;
    /** One more bucket than the window: the current second is still filling. */
    private static final int RING = SECONDS + 1;

    private final long[] buckets = new long[RING];
    private final long[] bucketSecond = new long[RING];

    synchronized void count(long nowMillis) {
        long second = nowMillis / 1000;
        int i = (int) (second % RING);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            buckets[i] = 0;
        }
        buckets[i]++;
    }

    synchronized double perSecond(long nowMillis) {
        long current = nowMillis / 1000;
        long sum = 0;
        for (int i = 0; i < RING; i++) {
            long age = current - bucketSecond[i];
            if (age >= 1 && age <= SECONDS) { // the current second is still filling: leave it out
                sum += buckets[i];
            }
        }
        return sum / (double) SECONDS;
    }
}
