package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How a transcript is replayed.
 *
 * @param times          how many calls
 * @param callsPerSecond how fast calls start; 0 or less = as fast as the clients read
 * @param callDuration   each call's events spread evenly over this time, so calls overlap as in real life;
 *                       zero = each call's events back to back (always so at full speed)
 * @param eventsPerCall  only the first this many events of each call (the call stays in progress: its channels
 *                       show in {@code CoreShowChannels}); 0 or less = all
 * @param numbers        numbers of the recording (a caller, a DID) and what replaces them in call n
 * @param stampTime      give every event a {@code Timestamp} with the time it is sent ({@code timestampevents})
 */
public record ReplayOptions(int times, double callsPerSecond, Duration callDuration, int eventsPerCall,
                            Map<String, IntFunction<String>> numbers, boolean stampTime) {

    public ReplayOptions {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        numbers = Map.copyOf(numbers);
    }

    public static ReplayOptions of(int times, double callsPerSecond) {
        return new ReplayOptions(times, callsPerSecond, Duration.ZERO, 0, Map.of(), false);
    }

    public ReplayOptions spreadOver(Duration duration) {
        return new ReplayOptions(times, callsPerSecond, duration, eventsPerCall, numbers, stampTime);
    }

    public ReplayOptions firstEvents(int n) {
        return new ReplayOptions(times, callsPerSecond, callDuration, n, numbers, stampTime);
    }

    /** In call n, {@code original} (e.g. the recording's caller number) becomes {@code replacement.apply(n)}. */
    public ReplayOptions replacing(String original, IntFunction<String> replacement) {
        Map<String, IntFunction<String>> m = new LinkedHashMap<>(numbers);
        m.put(original, replacement);
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, m, stampTime);
    }

    public ReplayOptions stamped() {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, true);
    }
}
