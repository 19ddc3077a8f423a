package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.outbox.OperatorRatingsStore;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.Activity;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.TimelineComment;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caller's rating on the real Asterisk: the operator (101) talks two seconds and hangs up; the caller, still
 * on the line, hears the rating prompt of the product's dialplan and presses keys (real RFC 4733 DTMF from the
 * world). The rating reaches Bitrix24 as the call's VOTE while the finish waits for it, as a comment on the
 * contact's timeline when it comes after the finish, not at all when the keys are no rating.
 */
class CallerRatingRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(45);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String DID = "4952000002";
    /** The caller's keys go this long after the answer: the operator talked 2 s, the prompt (a beep) played. */
    private static final Duration AFTER_THE_TALK = Duration.ofMillis(3500);

    @TempDir
    static Path dir;
    static SpineRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = SpineRig.start(dir, ASTERISK.pair());
        rig.settings("inbound-routes", """
                {"routes": [
                  {"did": "%s", "name": "Support (rated)", "leadSource": "CALL", "defaultResponsibleUserId": 4,
                   "routeToResponsible": true, "offerRating": true}
                ]}""".formatted(DID));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void operatorsTalkTwoSecondsAndTheFinishWaitsTwentyForTheRating(AsteriskPair pbx) throws Exception {
        rig.settings("routing", "{\"ratingWaitSeconds\": 20}");
        for (String ext : List.of("101", "102", "103")) {
            pbx.phone(ext, answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        }
    }

    @Test
    void aFourKeyedAfterTheTalkIsTheCallsVote(AsteriskPair pbx) throws Exception {
        Instant since = Instant.now();
        // Sergey Kuznetsov, Ivan Petrov's (101) client
        WorldCall call = pbx.placeInboundCall(DID, "79162000001",
                WorldScript.staysUntilHungUp().sendingDtmf(AFTER_THE_TALK, "4"));
        assertEquals("16", call.awaitEnd(CALL), "the dialplan thanked and hung up");
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79162000001");
        assertEquals(4, c.vote(), "finish carried VOTE 4");
        Activity activity = rig.emu.state().activitiesOf(c.callId()).getFirst();
        assertEquals(4, activity.vote(), "the call activity shows the rating");
        assertTrue(c.duration() >= 1 && c.duration() <= 3, "talk time without the rating IVR: " + c.duration());
        assertEquals(List.of(new OperatorRatingsStore.OperatorRatings("101", 1, 4.0, Map.of(4, 1))),
                rig.app.appliance().outbox().ratings().byOperator(since), "kept for 101's dashboard");
    }

    @Test
    void aRatingAfterTheFinishGoesToTheContactsTimeline(AsteriskPair pbx) throws Exception {
        rig.settings("routing", "{\"ratingWaitSeconds\": 1}");
        Instant since = Instant.now();
        // Anna Morozova is Maria's (102) contact: the route rings her responsible, 102
        WorldCall call = pbx.placeInboundCall(DID, "79032000002",
                WorldScript.staysUntilHungUp().sendingDtmf(AFTER_THE_TALK.plusSeconds(2), "5"));
        assertEquals("16", call.awaitEnd(CALL));
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79032000002");
        assertNull(c.vote(), "the finish went after 1 s without the rating");
        assertEquals(3, c.finishUserId());
        List<TimelineComment> comments = rig.emu.state().comments().stream()
                .filter(t -> t.entityType().name().equals(c.crmEntityType()) && t.entityId() == c.crmEntityId())
                .toList();
        assertEquals(1, comments.size(), "one comment on the call's " + c.crmEntityType() + ": " + comments);
        assertTrue(comments.getFirst().comment().contains("5 of 5"), comments.getFirst().comment());
        assertTrue(comments.getFirst().comment().contains("102"), "names the operator: " + comments.getFirst().comment());
        assertEquals(1, rig.app.appliance().outbox().ratings().byOperator(since).size());
    }

    @Test
    void aWrongKeyIsAskedAgainOnce(AsteriskPair pbx) throws Exception {
        // Pavel Orlov, Oleg's (103) client; 9 is no rating: "invalid", the prompt again; then 3
        WorldCall call = pbx.placeInboundCall(DID, "79262000003",
                WorldScript.staysUntilHungUp().sendingDtmf(AFTER_THE_TALK, "9wwwwww3"));
        call.awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        assertEquals(3, rig.call("+79262000003").vote());
    }

    @Test
    void keysThatAreNoRatingTwiceGiveNoRating(AsteriskPair pbx) throws Exception {
        Instant since = Instant.now();
        int commentsBefore = rig.emu.state().comments().size();
        // an unknown caller: the route's default responsible, 103, takes the call
        WorldCall call = pbx.placeInboundCall(DID, "79990005566",
                WorldScript.staysUntilHungUp().sendingDtmf(AFTER_THE_TALK, "9wwwwww0"));
        assertEquals("16", call.awaitEnd(CALL), "the dialplan gave up and hung up");
        rig.awaitCrmCaughtUp(SETTLE);

        CallView c = rig.call("+79990005566");
        assertTrue(c.finished());
        assertNull(c.vote(), "no VOTE");
        assertEquals(commentsBefore, rig.emu.state().comments().size(), "no comment either");
        assertEquals(List.of(), rig.app.appliance().outbox().ratings().byOperator(since), "no rating kept");
    }
}
