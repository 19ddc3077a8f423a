package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a call the way Asterisk would report it, fact by fact, with a clock the test moves: for scenarios
 * no transcript covers yet. Each step returns what the tracker made of it; {@link #events()} all of it.
 */
final class CallScript {

    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private final CallTracker tracker = new CallTracker(pbx -> Endpoints.standard());
    private final List<CallEvent> events = new ArrayList<>();
    private final String pbx = "pbx1";
    private Instant now = T0;

    CallScript after(double seconds) {
        now = now.plusMillis(Math.round(seconds * 1000));
        return this;
    }

    Instant now() {
        return now;
    }

    CallScript apply(CallFact fact) {
        events.addAll(tracker.apply(fact));
        return this;
    }

    CallScript channel(String uid, String linkedid, String channel, String callerNumber, String context, String exten) {
        return apply(new CallFact.NewChannel(pbx, now, uid, linkedid, channel, callerNumber, null, context, exten,
                CallFact.STATE_RING));
    }

    CallScript dial(String callerUid, String linkedid, String callerExten, String destUid, String destChannel,
                    String dialString) {
        return apply(new CallFact.DialBegin(pbx, now, callerUid, linkedid, null, callerExten, destUid, linkedid,
                destChannel, dialString));
    }

    CallScript dialEnd(String callerUid, String destUid, String destChannel, String status) {
        return apply(new CallFact.DialEnd(pbx, now, callerUid, destUid, destChannel, status));
    }

    CallScript up(String uid, String linkedid) {
        return apply(new CallFact.StateChange(pbx, now, uid, linkedid, CallFact.STATE_UP));
    }

    CallScript variable(String uid, String linkedid, String name, String value) {
        return apply(new CallFact.Variable(pbx, now, uid, linkedid, name, value));
    }

    CallScript hangup(String uid, String linkedid, int cause) {
        return apply(new CallFact.Hangup(pbx, now, uid, linkedid, cause));
    }

    CallScript tick() {
        return apply(new CallFact.Tick(pbx, now));
    }

    List<CallEvent> events() {
        return events;
    }

    <T extends CallEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    CallEvent.Ended ended() {
        List<CallEvent.Ended> ended = events(CallEvent.Ended.class);
        if (ended.size() != 1) {
            throw new AssertionError("expected one Ended, got " + events);
        }
        return ended.getFirst();
    }

    CallTracker tracker() {
        return tracker;
    }

    Duration since(Instant t) {
        return Duration.between(t, now);
    }
}
