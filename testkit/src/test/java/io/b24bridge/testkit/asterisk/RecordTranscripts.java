package io.b24bridge.testkit.asterisk;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answersAndStays;
import static io.b24bridge.testkit.asterisk.PhoneBehaviour.neverAnswers;
import static io.b24bridge.testkit.asterisk.RecordingSession.expect;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records the AMI transcripts of typical calls from the real Asterisk pair, for the appliance's call-model
 * tests. Not part of the normal test run (the name is outside surefire's patterns; a full run takes about
 * two minutes); run it by hand:
 * <pre>
 *   ./mvnw -B -o -pl testkit verify -Dtest=RecordTranscripts -Db24bridge.record.dir=src/main/resources/ami-transcripts
 * </pre>
 * or one scenario with {@code -Dtest=RecordTranscripts#pickupBy103}. Each scenario also checks its
 * transcript holds the events that make it what it claims to be.
 */
class RecordTranscripts {

    @RegisterExtension
    static final RealAsterisk ASTERISK = new RealAsterisk();

    private static final String CLIENT = "79161112233";
    private static final Duration RING = Duration.ofSeconds(2);
    private static final Duration TALK = Duration.ofSeconds(3);
    private static final Duration END = Duration.ofSeconds(40);

    @Test
    void inboundAnsweredBy101(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-answered-by-101.txt",
                "Inbound: client 79161112233 calls DID 4951000101, which rings extension 101; 101 rings 2 s, answers, talks 3 s and hangs up.");
        pair.phone("101", answers(RING, TALK));
        pair.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/101-.*", "DialStatus", "ANSWER");
        expect(ev, "Cdr", "Destination", "101", "Disposition", "ANSWERED");
    }

    @Test
    void inboundRingGroup101Answers102Cancelled(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-ringgroup-101-answers-102-cancelled.txt",
                "Inbound: client 79161112233 calls DID 4951000200, ring group 200 rings 101 and 102 together; 101 answers after 2 s and talks 3 s, 102 is cancelled.");
        pair.phone("101", answers(RING, TALK));
        pair.phone("102", neverAnswers());
        pair.placeInboundCall("4951000200", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/101-.*", "DialStatus", "ANSWER");
        expect(ev, "DialEnd", "DestChannel", "PJSIP/102-.*", "DialStatus", "CANCEL");
    }

    @Test
    void inboundMissedCallerHangsUp(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-missed-ringgroup-caller-hangs-up.txt",
                "Inbound missed: client 79161112233 calls DID 4951000200, ring group 200 rings 101 and 102; nobody answers and the client hangs up after 8 s.");
        pair.phone("101", neverAnswers());
        pair.phone("102", neverAnswers());
        pair.placeInboundCall("4951000200", CLIENT, WorldScript.hangsUpWhileRinging(Duration.ofSeconds(8))).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/101-.*", "DialStatus", "CANCEL");
        expect(ev, "Cdr", "Disposition", "NO ANSWER");
        RecordingSession.expectNone(ev, "BridgeEnter");
    }

    @Test
    void inboundToBusyExtension(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-busy-102.txt",
                "Inbound: client 79161112233 calls DID 4951000102, which rings extension 102; 102 answers 486 Busy Here, the PBX hangs up on the client.");
        pair.phone("102", PhoneBehaviour.busy());
        pair.placeInboundCall("4951000102", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/102-.*", "DialStatus", "BUSY");
        expect(ev, "Cdr", "Disposition", "BUSY");
    }

    @Test
    void inboundQueueAnsweredBy102(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-queue-support-answered-by-102.txt",
                "Inbound: client 79161112233 calls DID 4951000300, queue 'support' (ringall, members 101 and 102); 102 answers after 2 s and talks 3 s, 101 never answers.");
        pair.phone("101", neverAnswers());
        pair.phone("102", answers(RING, TALK));
        pair.placeInboundCall("4951000300", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "QueueCallerJoin", "Queue", "support");
        expect(ev, "AgentConnect", "Queue", "support", "MemberName", "Phone 102");
        expect(ev, "AgentComplete", "Queue", "support");
    }

    @Test
    void inboundCallerHangsUpWhileRinging(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-caller-hangs-up-while-101-rings.txt",
                "Inbound missed: client 79161112233 calls DID 4951000101, extension 101 rings; the client hangs up after 3 s.");
        pair.phone("101", neverAnswers());
        pair.placeInboundCall("4951000101", CLIENT, WorldScript.hangsUpWhileRinging(Duration.ofSeconds(3))).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/101-.*", "DialStatus", "CANCEL");
    }

    @Test
    void outboundFrom101Answered(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "outbound-101-answered.txt",
                "Outbound: extension 101 dials 79161112233, out through the carrier trunk; the client rings 2 s, answers, talks 3 s and hangs up.");
        pair.outside(CLIENT, answers(RING, TALK));
        pair.placePhoneCall("101", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/trunk-.*", "DialStatus", "ANSWER");
        expect(ev, "VarSet", "Variable", "B24_NUMBER", "Value", CLIENT);
    }

    @Test
    void outboundFrom101NotAnswered(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "outbound-101-not-answered.txt",
                "Outbound: extension 101 dials 79161112233 through the carrier trunk; the client never answers and 101 hangs up after 8 s of ringing.");
        pair.outside(CLIENT, neverAnswers());
        pair.placePhoneCall("101", CLIENT, WorldScript.hangsUpWhileRinging(Duration.ofSeconds(8))).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "DestChannel", "PJSIP/trunk-.*", "DialStatus", "CANCEL");
    }

    @Test
    void internal101To102(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "internal-101-to-102.txt",
                "Internal: extension 101 dials 102; 102 rings 2 s, answers, talks 3 s and hangs up.");
        pair.phone("102", answers(RING, TALK));
        pair.placePhoneCall("101", "102", WorldScript.staysUntilHungUp()).awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "DialEnd", "Channel", "PJSIP/101-.*", "DestChannel", "PJSIP/102-.*", "DialStatus", "ANSWER");
    }

    @Test
    void blindTransfer101To102(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-blind-transfer-101-to-102.txt",
                "Inbound blind transfer: client 79161112233 calls DID 4951000101; 101 answers after 2 s, talks 2 s, then presses #1 and dials 102"
                        + " (the PBX's blind-transfer feature code); 101's leg ends, 102 rings 2 s, answers, talks 3 s with the client and hangs up.");
        pair.phone("101", answersAndStays(RING));
        pair.phone("102", answers(RING, TALK));
        WorldCall call = pair.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(END));
        Thread.sleep(2000);
        pair.world().phoneDtmf("101", "#1");
        Thread.sleep(1500); // the PBX plays "transfer" to 101 before it collects the number
        pair.world().phoneDtmf("101", "102");
        call.awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "BlindTransfer", "Result", "Success", "Extension", "102");
        expect(ev, "DialEnd", "DestChannel", "PJSIP/102-.*", "DialStatus", "ANSWER");
    }

    @Test
    void attendedTransfer101To102(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-attended-transfer-101-to-102.txt",
                "Inbound attended transfer: client 79161112233 calls DID 4951000101; 101 answers after 2 s, talks 2 s, presses *2 and dials 102"
                        + " (the client waits); 102 answers after 2 s and talks 2 s with 101; 101 hangs up, which completes the transfer;"
                        + " the client talks 3 s with 102, then 102 hangs up.");
        pair.phone("101", answersAndStays(RING));
        pair.phone("102", answersAndStays(RING));
        WorldCall call = pair.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(END));
        Thread.sleep(2000);
        pair.world().phoneDtmf("101", "*2");
        Thread.sleep(1500);
        pair.world().phoneDtmf("101", "102");
        Thread.sleep(RING.toMillis() + 2500);
        assertTrue(pair.world().phoneInCall("102"), "102 took the consultation call");
        pair.world().hangupPhone("101");
        Thread.sleep(TALK.toMillis());
        pair.world().hangupPhone("102");
        call.awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "AttendedTransfer", "Result", "Success");
    }

    @Test
    void pickupBy103(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-pickup-by-103-of-102.txt",
                "Inbound pickup: client 79161112233 calls DID 4951000102, extension 102 rings and never answers; after 3 s extension 103 dials **102"
                        + " (directed pickup), takes the call, talks 3 s and hangs up.");
        pair.phone("102", neverAnswers());
        WorldCall call = pair.placeInboundCall("4951000102", CLIENT, WorldScript.staysUntilHungUp());
        Thread.sleep(3000);
        pair.placePhoneCall("103", "**102", WorldScript.talks(TALK));
        call.awaitEnd(END);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "Pickup", "Channel", "PJSIP/103-.*");
    }

    @Test
    void pbxRestartedMidCall(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-pbx-restarted-mid-call.txt",
                "Inbound, Asterisk restarted mid-call: client 79161112233 calls DID 4951000101, 101 answers after 2 s; 2 s into the talk"
                        + " the PBX runs 'core restart now' (hangs the call up, stops, starts again); the recorder reconnects and sees the new boot.");
        pair.phone("101", answersAndStays(RING));
        WorldCall call = pair.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(END));
        Thread.sleep(2000);
        pair.restartPbx(AsteriskPair.Restart.GRACEFUL);
        call.awaitEnd(END);
        Thread.sleep(1000);
        List<AmiMessage> ev = s.finish(END);
        expect(ev, "Shutdown", "Restart", "True");
        assertTrue(ev.stream().filter(e -> "FullyBooted".equals(e.event())).count() >= 2, "the recorder saw the new boot");
    }

    @Test
    void pbxCrashedMidCall(AsteriskPair pair) throws Exception {
        RecordingSession s = RecordingSession.start(pair, "inbound-pbx-crashed-mid-call.txt",
                "Inbound, Asterisk killed mid-call (SIGKILL, as in a crash) and started again: client 79161112233 calls DID 4951000101, 101 answers"
                        + " after 2 s; 2 s into the talk the PBX dies without a word (no Hangup, no Cdr), the recorder reconnects and sees the new boot.");
        pair.phone("101", answersAndStays(RING));
        WorldCall call = pair.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(END));
        Thread.sleep(2000);
        pair.restartPbx(AsteriskPair.Restart.CRASH);
        Thread.sleep(1000);
        // the world's caller and phone would otherwise wait forever: nobody sends them a BYE
        call.hangup();
        pair.world().hangupPhone("101");
        List<AmiMessage> ev = s.finish(END);
        assertTrue(ev.stream().filter(e -> "FullyBooted".equals(e.event())).count() >= 2, "the recorder saw the new boot");
        RecordingSession.expectNone(ev, "Hangup");
    }
}
