package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How a transcript (or a {@link Mix} of them) is replayed.
 *
 * @param times          how many calls
 * @param callsPerSecond how fast calls start; 0 or less = as fast as the clients read
 * @param callDuration   each call's events spread evenly over this time, so calls overlap as in real life;
 *                       zero = each call's events back to back (always so at full speed)
 * @param eventsPerCall  only the first this many events of each call (the call stays in progress: its channels
 *                       show in {@code CoreShowChannels}); 0 or less = all
 * @param numbers        numbers of the recording (a caller, a DID) and what replaces them in call n
 * @param stampTime      give every event a {@code Timestamp} with the time it is sent ({@code timestampevents})
 * @param recordedPace   each call's events keep the gaps the recording has between them (its {@code Timestamp}s)
 *                       instead of an even spread; a transcript without timestamps is spread over
 *                       {@code callDuration}
 * @param maxInProgress  at most this many calls in progress at once: a call due while the PBX is full starts when
 *                       one ends (0: no cap)
 * @param garbageEvery   after every this many events, one block of garbage on the wire ({@link Garbage}); 0: none
 * @param listener       told of every event sent (the send time in µs since the epoch, as in {@code Timestamp})
 */
public record ReplayOptions(int times, double callsPerSecond, Duration callDuration, int eventsPerCall,
                            Map<String, IntFunction<String>> numbers, boolean stampTime, boolean recordedPace,
                            int maxInProgress, int garbageEvery, Listener listener) {

    /** Told of each event as it is sent. */
    @FunctionalInterface
    public interface Listener {
        void sent(int call, AmiMessage event, long sentMicros);

        Listener NONE = (call, event, sentMicros) -> { };
    }

    public ReplayOptions {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        numbers = Map.copyOf(numbers);
        listener = listener == null ? Listener.NONE : listener;
    }

    public static ReplayOptions of(int times, double callsPerSecond) {
        return new ReplayOptions(times, callsPerSecond, Duration.ZERO, 0, Map.of(), false, false, 0, 0, null);
    }

    public ReplayOptions spreadOver(Duration duration) {
        return new ReplayOptions(times, callsPerSecond, duration, eventsPerCall, numbers, stampTime, recordedPace,
                maxInProgress, garbageEvery, listener);
    }

    public ReplayOptions firstEvents(int n) {
        return new ReplayOptions(times, callsPerSecond, callDuration, n, numbers, stampTime, recordedPace,
                maxInProgress, garbageEvery, listener);
    }

    /** In call n, {@code original} (e.g. the recording's caller number) becomes {@code replacement.apply(n)}. */
    public ReplayOptions replacing(String original, IntFunction<String> replacement) {
        Map<String, IntFunction<String>> m = new LinkedHashMap<>(numbers);
        m.put(original, replacement);
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, m, stampTime, recordedPace,
                maxInProgress, garbageEvery, listener);
    }

    public ReplayOptions stamped() {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, true, recordedPace,
                maxInProgress, garbageEvery, listener);
    }

    /** Each call as long as its recording, its events as far apart as Asterisk sent them. */
    public ReplayOptions atRecordedPace() {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, stampTime, true,
                maxInProgress, garbageEvery, listener);
    }

    public ReplayOptions maxInProgress(int calls) {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, stampTime, recordedPace,
                calls, garbageEvery, listener);
    }

    public ReplayOptions garbageEvery(int events) {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, stampTime, recordedPace,
                maxInProgress, events, listener);
    }

    public ReplayOptions onSent(Listener l) {
        return new ReplayOptions(times, callsPerSecond, callDuration, eventsPerCall, numbers, stampTime, recordedPace,
                maxInProgress, garbageEvery, l);
    }
}
