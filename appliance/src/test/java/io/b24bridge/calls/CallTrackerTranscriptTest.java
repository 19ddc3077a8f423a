package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import io.b24bridge.pbx.AmiTranscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real calls recorded from the test harness's Asterisk 22 (testkit, ami-transcripts/: each file's header says
 * what was done), replayed through the decoder and the model. Times come from the events' own timestamps.
 */
class CallTrackerTranscriptTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private final CallTracker tracker = new CallTracker(pbx -> Endpoints.standard());

    private List<CallEvent> replay(String transcript) {
        List<CallEvent> events = new ArrayList<>();
        for (CallFact f : AmiTranscript.load("ami-transcripts/" + transcript).facts("pbx1", T0, Duration.ofMillis(1))) {
            events.addAll(tracker.apply(f));
        }
        return events;
    }

    private List<String> replayed(String transcript) {
        List<CallEvent> events = replay(transcript);
        assertEquals(0, tracker.callsInProgress(), "every call of the transcript ended");
        return summary(events);
    }

    private static List<String> summary(List<CallEvent> events) {
        return events.stream().map(e -> switch (e) {
            case CallEvent.Started s -> "started " + s.direction() + " " + s.clientNumber() + " "
                    + (s.direction() == CallEvent.Direction.INBOUND ? "to " + s.did() : "by " + s.extension());
            case CallEvent.RingStarted r -> "ring " + r.extension();
            case CallEvent.RingStopped r -> "stop " + r.extension() + " " + r.reason();
            case CallEvent.Answered a -> "answered " + a.extension() + " (" + a.how() + ")";
            case CallEvent.Rated r -> "rated " + r.vote();
            case CallEvent.Routed r -> "routed to user " + r.responsibleUserId();
            case CallEvent.RatingStarted r -> "rating asked, talk " + r.talk().talkSeconds() + " s";
            case CallEvent.Ended x -> "ended " + x.outcome() + " talk " + x.talkSeconds() + " s operator " + x.operator();
            case CallEvent.Recorded r -> "recorded " + r.outcome().outcome();
            case CallEvent.RecordingNamed r -> null; // the recordings are checked by the Ended events
        }).filter(Objects::nonNull).toList();
    }

    private static CallEvent.Ended ended(List<CallEvent> events) {
        return (CallEvent.Ended) events.getLast();
    }

    @Test
    void answeredByTheExtensionTheDidRings() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000101", "ring 101", "answered 101 (answer)",
                "ended ANSWERED talk 3 s operator 101"), replayed("inbound-answered-by-101.txt"));
    }

    @Test
    void ringGroupWhere101AnswersAnd102IsCancelled() {
        List<CallEvent> events = replay("inbound-ringgroup-101-answers-102-cancelled.txt");
        assertEquals(List.of("started INBOUND 79161112233 to 4951000200", "ring 101", "ring 102",
                "answered 101 (answer)", "stop 102 CANCEL", "ended ANSWERED talk 3 s operator 101"), summary(events));
        CallEvent.Ended end = ended(events);
        assertEquals(2, end.waitSeconds(), "ring time is not talk time");
        assertTrue(end.recordingFile().matches("/var/spool/asterisk-pbx/monitor/\\d{4}/\\d\\d/\\d\\d/[0-9.]+\\.wav"),
                end.recordingFile());
    }

    @Test
    void theFirstRecordedRingGroupCallThroughLocalChannels() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951234567", "ring 101", "ring 102",
                "answered 101 (answer)", "stop 102 CANCEL", "ended ANSWERED talk 0 s operator 101"),
                replayed("inbound-did-ringgroup-101-answers-102-cancelled.txt"));
        assertEquals(List.of("started INBOUND 79161112233 to 4951234567", "ring 101", "ring 102",
                "answered 101 (answer)", "stop 102 CANCEL", "ended ANSWERED talk 0 s operator 101"),
                replayed("inbound-local-channels-originate.txt"));
    }

    @Test
    void aCallPlacedThroughLocalChannelsWaitsForItsNumberBeforeItIsAnnounced() {
        // as the PBX simulator paces it at load: 35 ms between events, the engine's tick in between; the Local
        // channel that places the call has no caller ID until it dials (over the 300 ms a waiting call is given)
        List<CallEvent> events = new ArrayList<>();
        for (CallFact f : AmiTranscript.load("ami-transcripts/inbound-local-channels-originate.txt")
                .facts("pbx1", T0, Duration.ofMillis(35))) {
            events.addAll(tracker.apply(f));
            events.addAll(tracker.apply(new CallFact.Tick("pbx1", f.at())));
        }
        assertEquals("started INBOUND 79161112233 to 4951234567", summary(events).getFirst(),
                "announced with the caller's number, which register needs");
    }

    @Test
    void missedWhenTheCallerGivesUp() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000200", "ring 101", "ring 102", "stop 101 CANCEL",
                "stop 102 CANCEL", "ended NO_ANSWER talk 0 s operator null"),
                replayed("inbound-missed-ringgroup-caller-hangs-up.txt"));
        assertEquals(List.of("started INBOUND 79161112233 to 4951000101", "ring 101", "stop 101 CANCEL",
                "ended NO_ANSWER talk 0 s operator null"), replayed("inbound-caller-hangs-up-while-101-rings.txt"));
    }

    @Test
    void aBusyExtension() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000102", "ring 102", "stop 102 BUSY",
                "ended BUSY talk 0 s operator null"), replayed("inbound-busy-102.txt"));
    }

    @Test
    void aQueueMemberAnswers() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000300", "ring 101", "ring 102",
                "answered 102 (answer)", "stop 101 CANCEL", "ended ANSWERED talk 3 s operator 102"),
                replayed("inbound-queue-support-answered-by-102.txt"));
    }

    @Test
    void aBlindTransferHandsTheCallTo102() {
        List<CallEvent> events = replay("inbound-blind-transfer-101-to-102.txt");
        assertEquals(List.of("started INBOUND 79161112233 to 4951000101", "ring 101", "answered 101 (answer)",
                "ring 102", "answered 102 (answer)", "ended ANSWERED talk 11 s operator 102"), summary(events),
                "8 s with 101, 3 s with 102; the 2 s 102 rang are not talk");
    }

    @Test
    void anAttendedTransferKeepsTheClientsRecording() {
        List<CallEvent> events = replay("inbound-attended-transfer-101-to-102.txt");
        assertEquals(List.of("started INBOUND 79161112233 to 4951000101", "ring 101", "answered 101 (answer)",
                "ring 102", "answered 102 (answer)", "ended ANSWERED talk 13 s operator 102"), summary(events),
                "the consultation rides on the client's call: 102 sees the card while 101 consults");
        assertTrue(ended(events).recordingFile().endsWith("/1795511197.19.wav"), ended(events).recordingFile());
    }

    @Test
    void aPickupBy103() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000102", "ring 102", "stop 102 PICKED_UP",
                "answered 103 (pickup)", "ended ANSWERED talk 3 s operator 103"), replayed("inbound-pickup-by-103-of-102.txt"));
    }

    @Test
    void internalAndOutboundCalls() {
        assertEquals(List.of("started INTERNAL 102 by 101", "ring 102", "answered 102 (answer)",
                "ended ANSWERED talk 3 s operator 102"), replayed("internal-101-to-102.txt"));
        assertEquals(List.of("started OUTBOUND 79161112233 by 101", "answered 101 (client answered)",
                "ended ANSWERED talk 3 s operator 101"), replayed("outbound-101-answered.txt"));
        assertEquals(List.of("started OUTBOUND 79161112233 by 101", "ended CANCELLED talk 0 s operator null"),
                replayed("outbound-101-not-answered.txt"), "the caller gave up before the client answered");
    }

    @Test
    void aPbxRestartEndsTheCallCleanly() {
        assertEquals(List.of("started INBOUND 79161112233 to 4951000101", "ring 101", "answered 101 (answer)",
                "ended ANSWERED talk 2 s operator 101"), replayed("inbound-pbx-restarted-mid-call.txt"));
    }

    @Test
    void aPbxCrashLeavesTheCallOpenUntilTheReconnectShowsItGone() {
        List<CallEvent> events = replay("inbound-pbx-crashed-mid-call.txt");
        assertEquals(1, tracker.callsInProgress(), "no Hangup came: the PBX died");
        Instant answered = ((CallEvent.Answered) events.getLast()).at();
        tracker.apply(new CallFact.Tick("pbx1", answered.plusSeconds(3))); // the link's last sign of life
        List<CallEvent> after = tracker.apply(new CallFact.ChannelsNow("pbx1", answered.plusSeconds(8), List.of()));
        assertEquals(List.of("ended ANSWERED talk 3 s operator 101"), summary(after), "the 5 s the PBX was away are not talk");
        assertTrue(((CallEvent.Ended) after.getLast()).partlySeen());
        assertEquals(0, tracker.callsInProgress());
    }
}
