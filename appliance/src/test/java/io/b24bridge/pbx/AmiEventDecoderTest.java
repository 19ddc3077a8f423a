package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallFact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real AMI text, parsed by asterisk-java as a live connection does, decoded into the model's facts. */
class AmiEventDecoderTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    @Test
    void aRecordedRingGroupCallBecomesTheFactsTheModelNeeds() {
        List<CallFact> facts = AmiTranscript.load("ami-transcripts/inbound-did-ringgroup-101-answers-102-cancelled.txt")
                .facts("pbx1", T0, Duration.ofMillis(10));

        CallFact.NewChannel trunk = (CallFact.NewChannel) facts.getFirst();
        assertEquals("PJSIP/trunk-00000000", trunk.channel());
        assertEquals("1795491816.0", trunk.linkedid());
        assertEquals("79161112233", trunk.callerNumber());
        assertEquals("4951234567", trunk.exten());
        assertEquals(CallFact.STATE_RING, trunk.state());

        List<CallFact.DialBegin> dials = facts.stream().filter(CallFact.DialBegin.class::isInstance)
                .map(CallFact.DialBegin.class::cast).toList();
        assertEquals(List.of("PJSIP/101-00000001", "PJSIP/102-00000002"),
                dials.stream().map(CallFact.DialBegin::destChannel).toList());
        assertEquals("1795491816.0", dials.getFirst().callerUniqueid());
        assertEquals("4951234567", dials.getFirst().callerExten());

        List<String> ends = facts.stream().filter(CallFact.DialEnd.class::isInstance)
                .map(f -> ((CallFact.DialEnd) f).destChannel() + " " + ((CallFact.DialEnd) f).status()).toList();
        assertEquals(List.of("PJSIP/102-00000002 CANCEL", "PJSIP/101-00000001 ANSWER"), ends);

        List<Integer> causes = facts.stream().filter(CallFact.Hangup.class::isInstance)
                .map(f -> ((CallFact.Hangup) f).cause()).toList();
        assertEquals(List.of(26, 16, 16), causes);

        assertTrue(facts.stream().anyMatch(f -> f instanceof CallFact.Variable v
                && v.name().equals("MIXMONITOR_FILENAME") && v.value().endsWith("1795491816.0.wav")));
        assertTrue(facts.stream().noneMatch(f -> f instanceof CallFact.Variable v && v.name().equals("SIPDOMAIN")),
                "variables the model does not read are dropped");
    }

    @Test
    void theEventsTheModelReadsAreThoseItMakesFactsOfAboutOneInSix() {
        List<org.asteriskjava.manager.event.ManagerEvent> events =
                AmiTranscript.load("ami-transcripts/inbound-did-ringgroup-101-answers-102-cancelled.txt").managerEvents();
        List<org.asteriskjava.manager.event.ManagerEvent> read = events.stream().filter(AmiEventDecoder::read).toList();

        assertEquals(read.size(), events.stream().filter(e -> AmiEventDecoder.decode("pbx1", e, T0) != null).count());
        assertTrue(read.size() * 4 < events.size(), read.size() + " of " + events.size() + " events read");
        assertTrue(read.stream().noneMatch(e -> e instanceof org.asteriskjava.manager.event.NewExtenEvent));
        assertTrue(read.stream().anyMatch(e -> e instanceof org.asteriskjava.manager.event.VarSetEvent v
                && v.getVariable().equals("MIXMONITOR_FILENAME")), "the variables the model reads are read");
    }

    @Test
    void theRatingTheDialplanSetIsARatingFactAndItsOwnVariablesPassThrough() {
        org.asteriskjava.manager.event.VarSetEvent vote = new org.asteriskjava.manager.event.VarSetEvent(this);
        vote.setVariable("B24_VOTE");
        vote.setValue("4");
        vote.setUniqueId("1.0");
        vote.setLinkedId("1.0");
        assertEquals(new CallFact.Rating("pbx1", T0, "1.0", "1.0", 4), AmiEventDecoder.decode("pbx1", vote, T0));
        vote.setValue("#");
        assertEquals(0, ((CallFact.Rating) AmiEventDecoder.decode("pbx1", vote, T0)).vote(), "a key that is no digit");

        for (String name : List.of("B24_MOBILE_OF", "B24_RESPONSIBLE", "B24_RATING")) {
            org.asteriskjava.manager.event.VarSetEvent e = new org.asteriskjava.manager.event.VarSetEvent(this);
            e.setVariable(name);
            e.setValue("x");
            assertTrue(AmiEventDecoder.decode("pbx1", e, T0) instanceof CallFact.Variable, name);
        }
        org.asteriskjava.manager.event.VarSetEvent key = new org.asteriskjava.manager.event.VarSetEvent(this);
        key.setVariable("B24_KEY");
        key.setValue("9");
        assertEquals(null, AmiEventDecoder.decode("pbx1", key, T0), "the IVR's raw key is not the model's business");
    }

    @Test
    void durationsOfCoreShowChannelsAreReadAsSeconds() {
        assertEquals(3723, AmiEventDecoder.seconds("01:02:03"));
        assertEquals(0, AmiEventDecoder.seconds(""));
    }
}
