package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.pbx.AmiTranscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Real calls recorded from Asterisk 22, replayed through the decoder and the model. */
class CallTrackerTranscriptTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private static List<CallEvent> replay(String transcript, Duration step) {
        CallTracker tracker = new CallTracker(pbx -> Endpoints.standard());
        List<CallEvent> events = new ArrayList<>();
        for (CallFact f : AmiTranscript.load("ami-transcripts/" + transcript).facts("pbx1", T0, step)) {
            events.addAll(tracker.apply(f));
        }
        assertEquals(0, tracker.callsInProgress(), "every call of the transcript ended");
        return events;
    }

    private static List<String> summary(List<CallEvent> events) {
        return events.stream().map(e -> switch (e) {
            case CallEvent.Started s -> "started " + s.direction() + " from " + s.clientNumber() + " to " + s.did()
                    + " via " + s.trunk();
            case CallEvent.RingStarted r -> "ring " + r.extension();
            case CallEvent.RingStopped r -> "stop " + r.extension() + " " + r.reason();
            case CallEvent.Answered a -> "answered " + a.extension();
            case CallEvent.Rated r -> "rated " + r.vote();
            case CallEvent.Ended x -> "ended " + x.statusCode() + " operator " + x.operator();
        }).toList();
    }

    @Test
    void ringGroupWhere101AnswersAnd102IsCancelled() {
        List<CallEvent> events = replay("inbound-did-ringgroup-101-answers-102-cancelled.txt", Duration.ofSeconds(1));
        assertEquals(List.of(
                "started INBOUND from 79161112233 to 4951234567 via trunk",
                "ring 101",
                "ring 102",
                "answered 101",          // 101's channel goes Up before Asterisk cancels 102
                "stop 102 CANCEL",
                "ended 200 operator 101"), summary(events));
        CallEvent.Ended end = (CallEvent.Ended) events.getLast();
        assertEquals(new CallKey("pbx1", "1795491816.0"), end.call());
        assertEquals("/var/spool/asterisk-pbx/monitor/1795491816.0.wav", end.recordingFile());
        assertEquals("102", end.lastRinging());
        // one second per AMI event here: talk runs from 101's DialEnd ANSWER to 101's hangup, ring time is not in it
        assertEquals(secondsBetween("inbound-did-ringgroup-101-answers-102-cancelled.txt",
                "NewState", "PJSIP/101-00000001", "Hangup", "PJSIP/101-00000001"), end.talkSeconds());
    }

    @Test
    void ringGroupThroughLocalChannelsCountsEachExtensionOnce() {
        List<CallEvent> events = replay("inbound-local-channels-originate.txt", Duration.ofSeconds(1));
        assertEquals(List.of(
                "started INBOUND from 79161112233 to 4951234567 via null",
                "ring 101",
                "ring 102",
                "answered 101",
                "stop 102 CANCEL",
                "ended 200 operator 101"), summary(events));
    }

    /** Seconds between two events of the transcript, one second per event as replayed. */
    private static int secondsBetween(String transcript, String firstEvent, String firstChannel,
                                      String secondEvent, String secondChannel) {
        var events = AmiTranscript.load("ami-transcripts/" + transcript).managerEvents();
        int a = -1;
        int b = -1;
        for (int i = 0; i < events.size(); i++) {
            var e = events.get(i);
            String name = e.getClass().getSimpleName().replace("Event", "");
            String channel = e instanceof org.asteriskjava.manager.event.DialEndEvent d ? d.getDestChannel()
                    : e instanceof org.asteriskjava.manager.event.HangupEvent h ? h.getChannel()
                    : e instanceof org.asteriskjava.manager.event.NewStateEvent n && "Up".equals(n.getChannelStateDesc())
                    ? n.getChannel() : null;
            if (a < 0 && name.equals(firstEvent) && firstChannel.equals(channel)) {
                a = i;
            }
            if (name.equals(secondEvent) && secondChannel.equals(channel)) {
                b = i;
            }
        }
        return b - a;
    }
}
