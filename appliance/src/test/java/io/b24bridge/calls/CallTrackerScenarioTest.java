package io.b24bridge.calls;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallEvent.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Call shapes written fact by fact, as Asterisk 22 reports them (until each has a recorded transcript too). */
class CallTrackerScenarioTest {

    private final CallScript s = new CallScript();

    /** A client calls the DID; the dialplan rings {@code exts} together. */
    private void inboundRinging(String... exts) {
        s.channel("1.0", "1.0", "PJSIP/trunk-00000000", "79161112233", "from-trunk", "74951234567");
        int n = 1;
        for (String ext : exts) {
            s.channel("1." + n, "1.0", "PJSIP/" + ext + "-0000000" + n, null, "from-phones", "s");
            n++;
        }
        n = 1;
        for (String ext : exts) {
            s.dial("1.0", "1.0", "74951234567", "1." + n, "PJSIP/" + ext + "-0000000" + n, ext);
            n++;
        }
    }

    @Test
    void missedWhenNobodyAnswersAndTheCallerHangsUp() {
        inboundRinging("101", "102");
        s.after(12).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "CANCEL")
                .dialEnd("1.0", "1.2", "PJSIP/102-00000002", "CANCEL")
                .hangup("1.1", "1.0", 16).hangup("1.2", "1.0", 16).hangup("1.0", "1.0", 16);
        CallEvent.Ended end = s.ended();
        assertEquals(Outcome.NO_ANSWER, end.outcome());
        assertEquals(0, end.talkSeconds());
        assertNull(end.operator());
        assertEquals(12, end.waitSeconds());
        assertEquals(2, s.events(CallEvent.RingStopped.class).size());
    }

    @Test
    void busyExtensionGives486() {
        inboundRinging("101");
        s.after(1).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "BUSY").hangup("1.1", "1.0", 17)
                .after(1).hangup("1.0", "1.0", 17);
        assertEquals(Outcome.BUSY, s.ended().outcome());
    }

    @Test
    void answeredByTheIvrOnlyIsMissedForTheCrm() {
        s.channel("2.0", "2.0", "PJSIP/trunk-00000001", "79161112233", "from-trunk", "74951234567")
                .after(0.1).up("2.0", "2.0")                     // Answer() + Playback()/VoiceMail()
                .after(20).hangup("2.0", "2.0", 16);
        List<CallEvent.Started> started = s.events(CallEvent.Started.class);
        assertEquals(1, started.size());
        assertEquals(CallEvent.Direction.INBOUND, started.getFirst().direction());
        assertEquals("74951234567", started.getFirst().did());
        assertEquals(Outcome.NO_ANSWER, s.ended().outcome());
        assertEquals(0, s.ended().talkSeconds());
    }

    @Test
    void aCallWaitingWithoutRingingIsAnnouncedOnATick() {
        s.channel("3.0", "3.0", "PJSIP/trunk-00000002", "79161112233", "from-trunk", "74951234567")
                .after(0.1).tick();
        assertTrue(s.events(CallEvent.Started.class).isEmpty(), "not yet: the dialplan may still dial");
        s.after(0.3).tick();
        assertEquals(1, s.events(CallEvent.Started.class).size());
    }

    @Test
    void talkTimeCountsFromAnswerToTheOperatorsHangupNotTheCallersRatingAfter() {
        inboundRinging("101");
        s.after(5).up("1.1", "1.0").dialEnd("1.0", "1.1", "PJSIP/101-00000001", "ANSWER")
                .after(42).hangup("1.1", "1.0", 16)              // operator hangs up: talk ends
                .after(8).hangup("1.0", "1.0", 16);              // the caller stayed 8 s for the rating IVR
        CallEvent.Ended end = s.ended();
        assertEquals(Outcome.ANSWERED, end.outcome());
        assertEquals(42, end.talkSeconds());
        assertEquals(5, end.waitSeconds());
        assertEquals(1, s.events(CallEvent.Answered.class).size(), "Up and DialEnd ANSWER are one answer");
    }

    @Test
    void outboundFromAPhoneThroughTheTrunk() {
        s.channel("4.0", "4.0", "PJSIP/101-00000005", "101", "from-phones", "89161112233")
                .channel("4.1", "4.0", "PJSIP/trunk-00000006", null, "from-trunk", "s")
                .dial("4.0", "4.0", "89161112233", "4.1", "PJSIP/trunk-00000006", "89161112233@trunk");
        CallEvent.Started st = s.events(CallEvent.Started.class).getFirst();
        assertEquals(CallEvent.Direction.OUTBOUND, st.direction());
        assertEquals("101", st.extension());
        assertEquals("89161112233", st.clientNumber());
        assertEquals("trunk", st.trunk());
        s.after(7).dialEnd("4.0", "4.1", "PJSIP/trunk-00000006", "ANSWER")
                .after(30).hangup("4.1", "4.0", 16).hangup("4.0", "4.0", 16);
        assertEquals(Outcome.ANSWERED, s.ended().outcome());
        assertEquals(30, s.ended().talkSeconds());
        assertEquals("101", s.ended().operator());
        assertTrue(s.events(CallEvent.RingStarted.class).isEmpty(), "the client's phone is not an extension");
    }

    @Test
    void aClickToCallIsTheOperatorsOutboundCallUnderTheBoxsCallId() {
        // the Originate: the operator's phone is rung by a dial with no caller, carrying the click's variables
        s.channel("5.0", "5.0", "PJSIP/101-00000007", "79161112233", "b24bridge-click", "79161112233")
                .variable("5.0", "5.0", "B24_CALL_ID", "externalCall.abc.1")
                .variable("5.0", "5.0", "B24_NUMBER", "79161112233")
                .apply(new CallFact.DialBegin("pbx1", s.now(), null, null, null, null, "5.0", "5.0",
                        "PJSIP/101-00000007", "101"));
        CallEvent.Started st = s.events(CallEvent.Started.class).getFirst();
        assertEquals(CallEvent.Direction.OUTBOUND, st.direction());
        assertEquals("101", st.extension());
        assertEquals("79161112233", st.clientNumber());
        assertEquals("externalCall.abc.1", st.givenCallId());
        assertTrue(s.events(CallEvent.RingStarted.class).isEmpty(), "the operator's own click rings no card");
        // answered: [b24bridge-click] dials the client through the trunk
        s.after(2).up("5.0", "5.0").dialEnd(null, "5.0", "PJSIP/101-00000007", "ANSWER")
                .channel("5.1", "5.0", "PJSIP/trunk-00000008", null, "from-trunk", "s")
                .dial("5.0", "5.0", "79161112233", "5.1", "PJSIP/trunk-00000008", "79161112233@trunk")
                .after(5).dialEnd("5.0", "5.1", "PJSIP/trunk-00000008", "ANSWER")
                .after(20).hangup("5.1", "5.0", 16).hangup("5.0", "5.0", 16);
        assertEquals(Outcome.ANSWERED, s.ended().outcome());
        assertEquals(20, s.ended().talkSeconds(), "the client's leg: not the operator's ring or wait");
        assertEquals(1, s.events(CallEvent.Started.class).size());
    }

    @Test
    void aClickTheOperatorNeverTookEndsCancelledWithoutTheClient() {
        s.channel("6.0", "6.0", "PJSIP/101-00000009", "79161112233", "b24bridge-click", "79161112233")
                .variable("6.0", "6.0", "B24_CALL_ID", "externalCall.abc.2")
                .variable("6.0", "6.0", "B24_NUMBER", "79161112233")
                .after(30).hangup("6.0", "6.0", 19);
        assertEquals("externalCall.abc.2", s.events(CallEvent.Started.class).getFirst().givenCallId(),
                "announced at its end even without the originate's dial");
        assertEquals(Outcome.CANCELLED, s.ended().outcome());
        assertEquals(0, s.ended().talkSeconds());
    }

    @Test
    void aCallbackAttemptNoOperatorTookIsNoCallForTheCrm() {
        // the callback's Originate rings the responsible's phone; nobody answers within the ring timeout
        s.channel("7.0", "7.0", "PJSIP/101-00000011", "79161112233", "b24bridge-callback", "79161112233")
                .variable("7.0", "7.0", "B24_CALLBACK", "externalCall.cb.1")
                .variable("7.0", "7.0", "B24_NUMBER", "79161112233")
                .apply(new CallFact.DialBegin("pbx1", s.now(), null, null, null, null, "7.0", "7.0",
                        "PJSIP/101-00000011", "101"));
        s.after(20).hangup("7.0", "7.0", 19);
        assertTrue(s.events(CallEvent.Started.class).isEmpty(), "the appliance retries it or reports it missed");
        assertTrue(s.events(CallEvent.Ended.class).isEmpty());
    }

    @Test
    void aCallbackAQueueMemberTookIsTheirOutboundCallUnderTheCallbacksCallId() {
        // the Originate rings the queue through a Local pair; its second half rings the members
        s.channel("8.0", "8.0", "Local/support@b24bridge-queue-00000001;1", "79161112233", "b24bridge-callback",
                        "79161112233")
                .variable("8.0", "8.0", "B24_CALLBACK", "externalCall.cb.2")
                .variable("8.0", "8.0", "B24_NUMBER", "79161112233")
                .channel("8.1", "8.0", "Local/support@b24bridge-queue-00000001;2", null, "b24bridge-queue", "support")
                .channel("8.2", "8.0", "PJSIP/101-00000012", null, "from-internal", "s")
                .channel("8.3", "8.0", "PJSIP/102-00000013", null, "from-internal", "s")
                .dial("8.1", "8.0", "support", "8.2", "PJSIP/101-00000012", "101")
                .dial("8.1", "8.0", "support", "8.3", "PJSIP/102-00000013", "102")
                .after(10).tick(); // an inbound call waiting this long in a queue would be announced by now
        assertTrue(s.events(CallEvent.Started.class).isEmpty(), "nothing for the CRM while the operators ring");
        // 102 answers; 101 stops ringing; [b24bridge-callback] sets the CALL_ID and dials the client
        s.after(3).dialEnd("8.1", "8.3", "PJSIP/102-00000013", "ANSWER")
                .dialEnd("8.1", "8.2", "PJSIP/101-00000012", "CANCEL").hangup("8.2", "8.0", 26)
                .variable("8.0", "8.0", "B24_CALL_ID", "externalCall.cb.2")
                .channel("8.4", "8.0", "PJSIP/trunk-00000014", null, "from-trunk", "s")
                .dial("8.0", "8.0", "79161112233", "8.4", "PJSIP/trunk-00000014", "79161112233@trunk");
        CallEvent.Started st = s.events(CallEvent.Started.class).getFirst();
        assertEquals(CallEvent.Direction.OUTBOUND, st.direction());
        assertEquals("102", st.extension(), "the member who answered");
        assertEquals("externalCall.cb.2", st.givenCallId(), "the callback's own registered call: no second register");
        s.after(5).dialEnd("8.0", "8.4", "PJSIP/trunk-00000014", "ANSWER")
                .after(15).hangup("8.4", "8.0", 16).hangup("8.3", "8.0", 16).hangup("8.1", "8.0", 16)
                .hangup("8.0", "8.0", 16);
        assertEquals(Outcome.ANSWERED, s.ended().outcome());
        assertEquals(15, s.ended().talkSeconds());
        assertEquals("102", s.ended().operator());
    }

    @Test
    void outboundFailuresTellWhyTheClientWasNotReached() {
        for (String[] c : new String[][] {{"BUSY", "BUSY"}, {"NOANSWER", "NO_ANSWER"}, {"CONGESTION", "CONGESTION"},
                {"CHANUNAVAIL", "UNAVAILABLE"}, {"CANCEL", "CANCELLED"}}) {
            CallScript o = new CallScript();
            o.channel("5.0", "5.0", "PJSIP/101-00000007", "101", "from-phones", "89161112233")
                    .channel("5.1", "5.0", "PJSIP/trunk-00000008", null, "from-trunk", "s")
                    .dial("5.0", "5.0", "89161112233", "5.1", "PJSIP/trunk-00000008", "89161112233@trunk")
                    .after(3).dialEnd("5.0", "5.1", "PJSIP/trunk-00000008", c[0])
                    .hangup("5.1", "5.0", 16).hangup("5.0", "5.0", 16);
            assertEquals(Outcome.valueOf(c[1]), o.ended().outcome(), c[0]);
        }
    }

    @Test
    void internalCallsAreRecognisedAsSuch() {
        s.channel("6.0", "6.0", "PJSIP/101-00000009", "101", "from-phones", "102")
                .channel("6.1", "6.0", "PJSIP/102-0000000a", null, "from-phones", "s")
                .dial("6.0", "6.0", "102", "6.1", "PJSIP/102-0000000a", "102");
        assertEquals(CallEvent.Direction.INTERNAL, s.events(CallEvent.Started.class).getFirst().direction());
    }

    @Test
    void aFeatureCodeIsNotACall() {
        s.channel("7.0", "7.0", "PJSIP/101-0000000b", "101", "from-phones", "*97").up("7.0", "7.0")
                .after(3).hangup("7.0", "7.0", 16);
        assertTrue(s.events().isEmpty(), s.events().toString());
    }

    @Test
    void blindTransferMakesTheNewExtensionTheOperator() {
        inboundRinging("101");
        s.after(2).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "ANSWER")
                .after(20)
                .apply(new CallFact.BlindTransfer("pbx1", s.now(), "1.1", "1.0", "102", true))
                .hangup("1.1", "1.0", 16)                        // 101 leaves
                .channel("1.5", "1.0", "PJSIP/102-00000005", null, "from-phones", "s")
                .dial("1.0", "1.0", "102", "1.5", "PJSIP/102-00000005", "102")
                .after(3).dialEnd("1.0", "1.5", "PJSIP/102-00000005", "ANSWER")
                .after(10).hangup("1.5", "1.0", 16).hangup("1.0", "1.0", 16);
        assertEquals(List.of("101", "102"), s.events(CallEvent.Answered.class).stream()
                .map(CallEvent.Answered::extension).toList());
        assertEquals("102", s.ended().operator());
        assertEquals(30, s.ended().talkSeconds(), "20 s with 101 and 10 s with 102; the 3 s ringing 102 not");
    }

    @Test
    void attendedTransferBringsTheConsultedColleagueIntoTheClientsCall() {
        inboundRinging("101");
        s.after(2).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "ANSWER")
                .after(10)
                // 101 puts the client on hold and calls 102: a second call with its own Linkedid
                .channel("8.0", "8.0", "PJSIP/101-0000000c", "101", "from-phones", "102")
                .channel("8.1", "8.0", "PJSIP/102-0000000d", null, "from-phones", "s")
                .dial("8.0", "8.0", "102", "8.1", "PJSIP/102-0000000d", "102")
                .after(2).dialEnd("8.0", "8.1", "PJSIP/102-0000000d", "ANSWER")
                .after(5)
                .apply(new CallFact.AttendedTransfer("pbx1", s.now(), "1.1", "8.0", "1.0", "8.1", true))
                .hangup("1.1", "1.0", 16).hangup("8.0", "8.0", 16)
                .after(15).hangup("8.1", "8.0", 16).hangup("1.0", "1.0", 16);
        List<CallEvent.Ended> ends = s.events(CallEvent.Ended.class);
        CallEvent.Ended client = ends.stream().filter(e -> e.call().linkedid().equals("1.0")).findFirst().orElseThrow();
        assertEquals("102", client.operator());
        assertEquals(32, client.talkSeconds(), "17 s with 101 until the transfer, then 15 s with 102");
        assertEquals(0, s.tracker().callsInProgress());
    }

    @Test
    void aCallPickedUpByAnotherExtension() {
        inboundRinging("102");
        s.after(4)
                .channel("9.0", "9.0", "PJSIP/103-0000000e", "103", "from-phones", "*8")
                .apply(new CallFact.Pickup("pbx1", s.now(), "9.0", "1.1"))
                .hangup("1.1", "1.0", 26)
                .after(25).hangup("9.0", "9.0", 16).hangup("1.0", "1.0", 16);
        assertEquals(List.of("102"), s.events(CallEvent.RingStopped.class).stream()
                .map(CallEvent.RingStopped::extension).toList());
        assertEquals("103", s.ended().operator());
        assertEquals(Outcome.ANSWERED, s.ended().outcome());
        assertEquals(25, s.ended().talkSeconds());
    }

    @Test
    void theRecordingFileAndTheDialplansDidWin() {
        s.channel("11.0", "11.0", "PJSIP/trunk-00000012", "79161112233", "from-trunk", "s")
                .variable("11.0", "11.0", "B24_DID", "74951112233")
                .variable("11.0", "11.0", "MIXMONITOR_FILENAME", "/var/spool/asterisk/monitor/11.0.wav")
                .after(1).hangup("11.0", "11.0", 16);
        assertEquals("74951112233", s.events(CallEvent.Started.class).getFirst().did());
        assertEquals("/var/spool/asterisk/monitor/11.0.wav", s.ended().recordingFile());
    }
}
