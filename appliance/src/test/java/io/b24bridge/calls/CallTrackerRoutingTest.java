package io.b24bridge.calls;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallEvent.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the product's routing dialplan adds to a call, fact by fact as Asterisk 22 reports it: the responsible's
 * mobile rung through the trunk (B24_MOBILE_OF), the responsible routing found (B24_RESPONSIBLE), the rating
 * IVR after the operator hung up (B24_RATING) and the rating itself (B24_VOTE).
 */
class CallTrackerRoutingTest {

    private final CallScript s = new CallScript();

    /** The client calls; routing answered (responsible user 2); the desk phone 101 rings 4 s unanswered. */
    private void deskRangOut() {
        s.channel("1.0", "1.0", "PJSIP/trunk-00000000", "79162000001", "from-trunk", "4952000001")
                .variable("1.0", "1.0", "B24_RESPONSIBLE", "2")
                .channel("1.1", "1.0", "PJSIP/101-00000001", null, "from-phones", "s")
                .dial("1.0", "1.0", "4952000001", "1.1", "PJSIP/101-00000001", "101")
                .after(4).dialEnd("1.0", "1.1", "PJSIP/101-00000001", "NOANSWER").hangup("1.1", "1.0", 19);
    }

    /** Then the dialplan dials the responsible's mobile through the trunk, saying whose it is. */
    private void mobileRings() {
        s.variable("1.0", "1.0", "B24_MOBILE_OF", "101")
                .channel("1.2", "1.0", "PJSIP/trunk-00000002", "79162000001", "from-trunk", "s")
                .dial("1.0", "1.0", "4952000001", "1.2", "PJSIP/trunk-00000002", "79161110101@trunk");
    }

    @Test
    void theResponsibleRoutingFoundIsToldRightAfterTheStart() {
        deskRangOut();
        List<CallEvent> events = s.events();
        assertTrue(events.get(0) instanceof CallEvent.Started, events.toString());
        assertEquals(new CallEvent.Routed(events.get(0).call(), CallScript.T0, 2), events.get(1));
        assertEquals("101", ((CallEvent.RingStarted) events.get(2)).extension());
    }

    @Test
    void aMobileLegRingsAnswersAndTalksForItsResponsible() {
        deskRangOut();
        mobileRings();
        s.after(2).dialEnd("1.0", "1.2", "PJSIP/trunk-00000002", "ANSWER")
                .variable("1.0", "1.0", "B24_MOBILE_OF", "")
                .after(30).hangup("1.2", "1.0", 16).hangup("1.0", "1.0", 16);

        List<String> rings = s.events(CallEvent.RingStarted.class).stream().map(CallEvent.RingStarted::extension).toList();
        assertEquals(List.of("101", "101"), rings, "the desk, then the mobile, both ring for 101");
        CallEvent.Answered answered = s.events(CallEvent.Answered.class).getFirst();
        assertEquals("101", answered.extension());
        assertEquals("mobile", answered.how());
        CallEvent.Ended end = s.ended();
        assertEquals(Outcome.ANSWERED, end.outcome());
        assertEquals("101", end.operator(), "finish goes to the mobile's owner");
        assertEquals(30, end.talkSeconds(), "the mobile leg's talk counts");
    }

    @Test
    void aMobileThatDoesNotAnswerStopsRingingAndTheCallMovesOn() {
        deskRangOut();
        mobileRings();
        s.after(4).dialEnd("1.0", "1.2", "PJSIP/trunk-00000002", "NOANSWER").hangup("1.2", "1.0", 19)
                .variable("1.0", "1.0", "B24_MOBILE_OF", "");
        List<CallEvent.RingStopped> stopped = s.events(CallEvent.RingStopped.class);
        assertEquals(2, stopped.size(), s.events().toString());
        assertEquals("101", stopped.get(1).extension());
        // the fallback: an outside number the site forwards to is no one's mobile now
        s.channel("1.3", "1.0", "PJSIP/trunk-00000003", "79162000001", "from-trunk", "s")
                .dial("1.0", "1.0", "4952000001", "1.3", "PJSIP/trunk-00000003", "74950000000@trunk");
        assertEquals(2, s.events(CallEvent.RingStarted.class).size(), "a plain trunk leg rings for nobody");
    }

    @Test
    void theRatingIvrEndsTheTalkAndTheVoteFollows() {
        deskRangOut();
        s.channel("1.4", "1.0", "PJSIP/102-00000004", null, "from-phones", "s")
                .dial("1.0", "1.0", "4952000001", "1.4", "PJSIP/102-00000004", "102")
                .after(1).dialEnd("1.0", "1.4", "PJSIP/102-00000004", "ANSWER")
                .after(20).hangup("1.4", "1.0", 16)
                .variable("1.0", "1.0", "B24_RATING", "started")
                .after(3).apply(new CallFact.Rating("pbx1", s.now(), "1.0", "1.0", 4))
                .after(1).hangup("1.0", "1.0", 16);

        CallEvent.RatingStarted rating = s.events(CallEvent.RatingStarted.class).getFirst();
        assertEquals(Outcome.ANSWERED, rating.talk().outcome());
        assertEquals("102", rating.talk().operator());
        assertEquals(20, rating.talk().talkSeconds(), "the talk as it was when the operator left");
        assertEquals(4, s.events(CallEvent.Rated.class).getFirst().vote());
        assertEquals(20, s.ended().talkSeconds(), "the IVR's time is no talk");
    }

    @Test
    void aCallNobodyAnsweredIsNotRated() {
        deskRangOut();
        s.variable("1.0", "1.0", "B24_RATING", "started").apply(new CallFact.Rating("pbx1", s.now(), "1.0", "1.0", 9));
        assertEquals(List.of(), s.events(CallEvent.RatingStarted.class));
        assertEquals(List.of(), s.events(CallEvent.Rated.class), "9 is no rating anyway");
    }

    @Test
    void theProductsFallbackPlumbingIsNoPhone() {
        Endpoints ep = Endpoints.standard();
        assertEquals(Endpoints.Kind.OTHER, ep.kind("Local/200@b24bridge-group-00000001;1"),
                "a ring group's number is not an extension");
        assertEquals(Endpoints.Kind.OTHER, ep.kind("Local/support@b24bridge-queue-00000001;2"));
        assertEquals(Endpoints.Kind.PHONE, ep.kind("Local/101@from-queue-00000001;1"), "a queue member still is");
    }
}
