package io.b24bridge.calls;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gap in what the model sees — the AMI link down, the appliance restarted — and the call's figures after it: what
 * was seen is counted, the gap is never counted as talk, and a call alive across the gap is marked partly seen so
 * the PBX's own record can settle it.
 */
class CallTrackerReconnectTest {

    private final CallScript s = new CallScript();

    private void answeredInbound() {
        s.channel("1.0", "1.0", "PJSIP/trunk-00000000", "79161112233", "from-trunk", "74951234567")
                .channel("1.1", "1.0", "PJSIP/101-00000001", null, "from-phones", "s")
                .dial("1.0", "1.0", "74951234567", "1.1", "PJSIP/101-00000001", "101")
                .after(2).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "ANSWER");
    }

    @Test
    void aCallThatEndedWhileTheLinkWasDownIsCountedOnlyUntilTheLinkWasLastSeen() {
        answeredInbound();
        s.after(5).tick().after(5).tick()                      // talking, the link alive: 10 s seen
                .after(50)                                       // the link down for 50 s; the call ended meanwhile
                .apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of()));
        CallEvent.Ended ended = s.ended();
        assertEquals(CallEvent.Outcome.ANSWERED, ended.outcome());
        assertEquals(10, ended.talkSeconds(), "the 50 s the link was down are not talk");
        assertTrue(ended.partlySeen());
    }

    @Test
    void theLastMomentSeenBeforeARestartComesWithTheSnapshot() {
        answeredInbound();
        Instant lastSeen = s.now().plusSeconds(20);
        s.after(60).apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(), lastSeen));
        assertEquals(20, s.ended().talkSeconds());
    }

    @Test
    void aCallSeenWholeIsNotPartlySeen() {
        answeredInbound();
        s.after(3).hangup("1.1", "1.0", 16).hangup("1.0", "1.0", 16);
        assertFalse(s.ended().partlySeen());
        assertEquals(3, s.ended().talkSeconds());
    }

    @Test
    void anAdoptedCallTalksFromWhenThePbxSaysItAnswered() {
        Instant answered = s.now().minusSeconds(28);
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("10.0", "10.0", "PJSIP/trunk-00000010", "79161112233", "74951234567",
                        CallFact.STATE_UP, "bridge-1", 30, answered),
                new CallFact.ActiveChannel("10.1", "10.0", "PJSIP/101-00000011", "74951234567", "",
                        CallFact.STATE_UP, "bridge-1", 29, answered))));
        assertEquals(CallEvent.Direction.INBOUND, s.events(CallEvent.Started.class).getFirst().direction());
        assertEquals("101", s.events(CallEvent.Answered.class).getFirst().extension());
        s.after(10).hangup("10.1", "10.0", 16).hangup("10.0", "10.0", 16);
        assertEquals(38, s.ended().talkSeconds(), "28 s before the reconnect, 10 s after");
        assertTrue(s.ended().partlySeen());
    }

    @Test
    void anAdoptedOutboundCallTakesTheNumberFromWhatThePhoneDialled() {
        // CoreShowChannel of a channel Dial created has no Exten (it runs no dialplan): the number the client was
        // called on is the calling phone's Exten (a register without it is refused by the box: the call lost)
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("20.0", "20.0", "PJSIP/101-00000020", "101", "79161112233",
                        CallFact.STATE_UP, "bridge-2", 30),
                new CallFact.ActiveChannel("20.1", "20.0", "PJSIP/trunk-00000021", "79161112233", "",
                        CallFact.STATE_UP, "bridge-2", 28))));
        CallEvent.Started started = s.events(CallEvent.Started.class).getFirst();
        assertEquals(CallEvent.Direction.OUTBOUND, started.direction());
        assertEquals("79161112233", started.clientNumber());
    }

    @Test
    void anAdoptedOutboundCallWhosePhoneIsInASubroutineIsNotRegisteredWithoutANumber() {
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("21.0", "21.0", "PJSIP/101-00000030", "101", "s",
                        CallFact.STATE_UP, "bridge-3", 30),
                new CallFact.ActiveChannel("21.1", "21.0", "PJSIP/trunk-00000031", "101", "",
                        CallFact.STATE_UP, "bridge-3", 28))));
        assertTrue(s.events(CallEvent.Started.class).isEmpty(), "no register the box would refuse");
    }

    @Test
    void anAdoptedOriginateWithNoNumberYetWaitsForItsDialToBeAnnounced() {
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("30.0", "30.0", "Local/s@caller-00000000;1", null, "s",
                        CallFact.STATE_UP, "", 2),
                new CallFact.ActiveChannel("30.1", "30.0", "Local/s@caller-00000000;2", null, "s",
                        CallFact.STATE_UP, "", 2))));
        assertTrue(s.events(CallEvent.Started.class).isEmpty(), "no register without the client's number");
    }

    @Test
    void anAdoptedCallWithNoAnswerTimeCountsFromWhenItWasFound() {
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("10.0", "10.0", "PJSIP/trunk-00000010", "79161112233", "74951234567",
                        CallFact.STATE_UP, "bridge-1", 30),
                new CallFact.ActiveChannel("10.1", "10.0", "PJSIP/101-00000011", "74951234567", "",
                        CallFact.STATE_UP, "bridge-1", 28))));
        s.after(10).hangup("10.1", "10.0", 16).hangup("10.0", "10.0", 16);
        assertEquals(10, s.ended().talkSeconds(), "the ringing and the unseen talk are not guessed");
        assertTrue(s.ended().partlySeen(), "the PBX's record will tell the rest");
    }

    @Test
    void aPhoneListedBeforeItsTrunkIsStillTheCallsOperator() {
        // CoreShowChannels lists channels in no particular order: the phone may come first
        s.apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("10.1", "10.0", "PJSIP/101-00000011", "74951234567", "",
                        CallFact.STATE_UP, "bridge-1", 28, s.now().minusSeconds(27)),
                new CallFact.ActiveChannel("10.0", "10.0", "PJSIP/trunk-00000010", "79161112233", "74951234567",
                        CallFact.STATE_UP, "bridge-1", 30, s.now().minusSeconds(27)))));
        assertEquals(1, s.events(CallEvent.Started.class).size());
        assertEquals("79161112233", s.events(CallEvent.Started.class).getFirst().clientNumber());
        assertEquals("101", s.events(CallEvent.Answered.class).getFirst().extension());
        s.after(3).hangup("10.1", "10.0", 16).hangup("10.0", "10.0", 16);
        assertEquals(CallEvent.Outcome.ANSWERED, s.ended().outcome());
        assertEquals("101", s.ended().operator());
        assertEquals(30, s.ended().talkSeconds());
    }

    @Test
    void aPhoneThatRangBeforeTheGapAndAnsweredDuringItIsAnsweredWhenThePbxSays() {
        s.channel("1.0", "1.0", "PJSIP/trunk-00000000", "79161112233", "from-trunk", "74951234567")
                .channel("1.1", "1.0", "PJSIP/101-00000001", null, "from-phones", "s")
                .dial("1.0", "1.0", "74951234567", "1.1", "PJSIP/101-00000001", "101");
        Instant answered = s.now().plusSeconds(3);
        s.after(20).apply(new CallFact.ChannelsNow("pbx1", s.now(), List.of(
                new CallFact.ActiveChannel("1.0", "1.0", "PJSIP/trunk-00000000", "79161112233", "74951234567",
                        CallFact.STATE_UP, "b", 20, answered),
                new CallFact.ActiveChannel("1.1", "1.0", "PJSIP/101-00000001", null, "s",
                        CallFact.STATE_UP, "b", 20, answered))));
        assertEquals("101", s.events(CallEvent.Answered.class).getFirst().extension());
        s.after(5).hangup("1.1", "1.0", 16).hangup("1.0", "1.0", 16);
        assertEquals(22, s.ended().talkSeconds());
        assertEquals("101", s.ended().operator());
    }

    @Test
    void thePbxsRecordTellsHowACallThatEndedUnseenReallyEnded() {
        CallKey key = new CallKey("pbx1", "5.0");
        Instant t0 = s.now();
        List<CallEvent> told = new CallTracker(pbx -> Endpoints.standard()).recorded(new CallFact.PbxRecord("pbx1",
                t0.plusSeconds(60), "5.0", List.of(
                        new CallFact.RecordedLeg("PJSIP/trunk-00000005", "PJSIP/101-00000006", t0, null,
                                t0.plusSeconds(4), "NO ANSWER"),
                        new CallFact.RecordedLeg("PJSIP/trunk-00000005", "PJSIP/102-00000007", t0,
                                t0.plusSeconds(3), t0.plusSeconds(45), "ANSWERED"))),
                key, CallEvent.Direction.INBOUND);
        CallEvent.Ended truth = ((CallEvent.Recorded) told.getFirst()).outcome();
        assertEquals(CallEvent.Outcome.ANSWERED, truth.outcome());
        assertEquals(42, truth.talkSeconds());
        assertEquals("102", truth.operator());
        assertEquals(3, truth.waitSeconds());
    }
}
