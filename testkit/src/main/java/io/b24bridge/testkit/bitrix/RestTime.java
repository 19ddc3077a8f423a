package io.b24bridge.testkit.bitrix;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code time} object of every answer (§1): start, finish, duration, processing, dates. {@code operating} and
 * {@code operating_reset_at} come only with the load limiter on (rest.php:731-764), which a box has off.
 */
final class RestTime {

    private RestTime() {
    }

    static Map<String, Object> of(Instant start, long startNanos) {
        double duration = (System.nanoTime() - startNanos) / 1e9;
        double s = start.getEpochSecond() + start.getNano() / 1e9;
        Instant finish = start.plusNanos((long) (duration * 1e9));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", plain(s));
        m.put("finish", plain(s + duration));
        m.put("duration", plain(duration));
        m.put("processing", plain(duration));
        m.put("date_start", Dates.format(start));
        m.put("date_finish", Dates.format(finish));
        return m;
    }

    /** Seconds with microseconds, written plainly as PHP does ({@code 1773134740.398239}, never 1.77E9). */
    private static BigDecimal plain(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(6, RoundingMode.HALF_UP);
    }
}
