package io.b24bridge.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.b24bridge.testkit.bitrix.RequestLog;

/**
 * How a drain used the box's leaky bucket, from the emulator's request log: what the catch-up's ratio is made of,
 * in figures that do not depend on how busy the machine was. The ratio is (requests the bucket took ÷ requests it
 * allowed) × (commands a request ÷ 50); the requests it allowed and did not get are the burst left unused at the end
 * plus the rate times the time the bucket stood empty (allowance draining away with nothing sent).
 *
 * @param taken      requests the bucket took (not refused with QUERY_LIMIT_EXCEEDED)
 * @param refused    requests refused at the limit
 * @param commands   commands the taken requests carried (a batch's {@code cmd} entries, 1 for any other)
 * @param full       batches of 50
 * @param partial    batches of fewer
 * @param singles    requests that were not a batch, by method
 * @param firstAfter from the box's return to the first request it took
 * @param emptyFor   time the bucket stood empty while the drain lasted (its allowance unused)
 * @param burstLeft  room left in the bucket at the end (burst unused)
 */
record BucketUse(long taken, long refused, long commands, long full, long partial, Map<String, Integer> singles,
                 Duration firstAfter, Duration emptyFor, double burstLeft) {

    static BucketUse of(List<RequestLog.Entry> log, Instant from, Instant to, int burst, double perSecond) {
        long taken = 0;
        long refused = 0;
        long commands = 0;
        long full = 0;
        long partial = 0;
        Map<String, Integer> singles = new TreeMap<>();
        Instant first = null;
        double level = 0;
        Instant last = from;
        double emptyNanos = 0;
        for (RequestLog.Entry e : log) {
            if (e.at().isBefore(from) || e.at().isAfter(to)) {
                continue;
            }
            if ("QUERY_LIMIT_EXCEEDED".equals(e.error())) {
                refused++;
                continue;
            }
            double drained = Duration.between(last, e.at()).toNanos() / 1e9 * perSecond;
            if (drained > level) {
                emptyNanos += (drained - level) / perSecond * 1e9;
            }
            level = Math.max(0, level - drained) + 1;
            last = e.at();
            taken++;
            first = first == null ? e.at() : first;
            if ("batch".equals(e.method()) && e.params().get("cmd") instanceof Map<?, ?> cmd) {
                commands += cmd.size();
                if (cmd.size() >= 50) {
                    full++;
                } else {
                    partial++;
                }
            } else {
                commands++;
                singles.merge(e.method(), 1, Integer::sum);
            }
        }
        double drained = Duration.between(last, to).toNanos() / 1e9 * perSecond;
        if (drained > level) {
            emptyNanos += (drained - level) / perSecond * 1e9;
        }
        level = Math.max(0, level - drained);
        return new BucketUse(taken, refused, commands, full, partial, singles,
                first == null ? Duration.ZERO : Duration.between(from, first), Duration.ofNanos((long) emptyNanos),
                burst - level);
    }

    @Override
    public String toString() {
        return String.format("bucket: %d requests taken (%d refused at the limit), %.1f commands a request (%d "
                        + "batches of 50, %d fewer, singles %s); first request %d ms after the box returned; bucket "
                        + "empty for %.1f s; %.1f of the burst unused at the end", taken, refused,
                taken == 0 ? 0.0 : (double) commands / taken, full, partial, singles, firstAfter.toMillis(),
                emptyFor.toMillis() / 1000.0, burstLeft);
    }
}
