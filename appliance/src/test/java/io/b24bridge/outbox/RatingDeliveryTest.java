package io.b24bridge.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.bitrix.MockBoxAccess;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rating that came after the finish reaches the CRM entity register bound the call to, as a timeline
 * comment naming the operator, once — also when a crash cut in after it was sent; every rating is kept per
 * operator, in the transaction of the call's change.
 */
class RatingDeliveryTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    @TempDir
    Path dir;
    MockBoxAccess box;
    ScriptedBox script;
    Outbox outbox;
    Dispatcher dispatcher;

    @BeforeEach
    void start() {
        script = new ScriptedBox();
        script.on("crm.timeline.comment.add", body -> ScriptedBox.ok("77"));
        script.on("crm.timeline.comment.list", body -> ScriptedBox.ok("[]"));
        box = MockBoxAccess.application(dir, script);
        outbox = Outbox.open(box.db(), Json.newMapper());
        startDispatcher();
    }

    private void startDispatcher() {
        // the PBX's recordings folder is read here, in the test's folder
        dispatcher = new Dispatcher(outbox, box.gateway(), Map.of("pbx1", new RecordingsDir(dir,
                Path.of("/var/spool/asterisk/monitor"))), 4, Clock.systemUTC(), Duration.ofSeconds(2))
                .start();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        box.close();
    }

    private static CallCrmState.Builder answeredBy101(CallKey key) {
        return CallCrmState.builder(key, CallEvent.Direction.INBOUND, T0).clientNumber("+79162000001")
                .did("4952000001").defaultResponsible(4).leadSource("CALL").lineNumber("4952000001").registered(true)
                .operator("101").answeredAt(T0).lastRinging("101");
    }

    private void record(CallKey key, boolean ended, List<CrmLifecycle.Rating> ratings, CrmCommand... commands) {
        CallCrmState state = answeredBy101(key).vote(5).finished(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(commands), ended, ratings, null)));
    }

    private static CrmCommand.Register register(CallKey key) {
        return new CrmCommand.Register(key, CrmCommand.UserRef.extension("101"), "+79162000001", false, T0, true,
                "CALL", "4952000001", true);
    }

    private static CrmCommand.Finish finish(CallKey key) {
        return new CrmCommand.Finish(key, CrmCommand.UserRef.extension("101"), 30, "200", null, false);
    }

    private static CrmCommand.RatingComment rating(CallKey key, int vote) {
        return new CrmCommand.RatingComment(key, vote, CrmCommand.UserRef.extension("101"), T0.plusSeconds(40));
    }

    private void awaitQuiet() {
        await("the outbox drains").atMost(Duration.ofSeconds(30)).until(() -> {
            OutboxReport.Counts c = outbox.report().counts();
            return c.pending() == 0 && c.sending() == 0;
        });
    }

    private void registerBindsContact12() {
        script.on("telephony.externalcall.register", body -> ScriptedBox.ok(
                "{\"CALL_ID\": \"CALL-1\", \"CRM_ENTITY_TYPE\": \"CONTACT\", \"CRM_ENTITY_ID\": \"12\"}"));
    }

    @Test
    void aLateRatingIsACommentOnTheEntityRegisterBoundTheCallTo() {
        registerBindsContact12();
        CallKey k = new CallKey("pbx1", "1.0");
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(new CrmLifecycle.Rating(k, "101", 5, T0.plusSeconds(40), false)), rating(k, 5));
        awaitQuiet();

        assertEquals(List.of("telephony.externalcall.register", "telephony.externalcall.finish", "user.get",
                "crm.timeline.comment.add"), script.methods(), "sent once: nothing to look up the first time");
        String body = script.seen.getLast().body();
        assertEquals("contact", ScriptedBox.param(body, "fields[ENTITY_TYPE]"));
        assertEquals("12", ScriptedBox.param(body, "fields[ENTITY_ID]"));
        String comment = ScriptedBox.param(body, "fields[COMMENT]");
        assertTrue(comment.contains("5 of 5") && comment.contains("Anna (101)"), comment);
        assertTrue(comment.endsWith("[b24bridge pbx1:1.0]"), "marked with its call: " + comment);
        assertEquals(List.of(new OperatorRatingsStore.OperatorRatings("101", 1, 5.0, Map.of(5, 1))),
                outbox.ratings().byOperator(T0));
    }

    /** As if the appliance had sent the comment and died before recording the box's answer. */
    private CallKey commentCutOffByACrash(String linkedid) {
        registerBindsContact12();
        dispatcher.close();
        CallKey k = new CallKey("pbx1", linkedid);
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(), rating(k, 4));
        outbox.done(outbox.queue().head(k).orElseThrow(),
                new BoxGateway.Registration("CALL-1", new CrmEntity("CONTACT", 12)));
        outbox.done(outbox.queue().head(k).orElseThrow(), null);
        outbox.queue().sending(outbox.queue().head(k).orElseThrow());
        return k;
    }

    @Test
    void aCommentTheBoxTookBeforeACrashIsNotAddedAgain() {
        CallKey k = commentCutOffByACrash("8.0");
        script.on("crm.timeline.comment.list", body -> ScriptedBox.ok("[{\"ID\": \"77\", \"COMMENT\": "
                + "\"The caller rated the call 4 of 5. Operator: Anna (101). [b24bridge pbx1:8.0]\"}]"));
        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("crm.timeline.comment.list"), script.methods(), "found on the timeline: not sent again");
        String list = script.seen.getFirst().body();
        assertEquals("contact", ScriptedBox.param(list, "filter[ENTITY_TYPE]"));
        assertEquals("12", ScriptedBox.param(list, "filter[ENTITY_ID]"));
        assertEquals(0, outbox.report().counts().dead());
    }

    @Test
    void aCommentACrashCutOffBeforeTheBoxTookItIsSent() {
        commentCutOffByACrash("9.0");
        script.on("crm.timeline.comment.list", body -> ScriptedBox.ok("[{\"ID\": \"70\", \"COMMENT\": "
                + "\"The caller rated the call 2 of 5. [b24bridge pbx1:3.0]\"}]")); // another call's rating
        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("crm.timeline.comment.list", "user.get", "crm.timeline.comment.add"), script.methods());
    }

    @Test
    void aRatingWithNoEntityToGoToIsOnlyKept() {
        CallKey k = new CallKey("pbx1", "2.0"); // the default register answer binds nothing
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(new CrmLifecycle.Rating(k, "101", 2, T0.plusSeconds(40), false)), rating(k, 2));
        awaitQuiet();

        assertFalse(script.methods().contains("crm.timeline.comment.add"), script.methods().toString());
        assertEquals(0, outbox.report().counts().dead(), "done, not a dead letter");
        assertEquals(1, outbox.ratings().byOperator(T0).getFirst().count());
    }

    @Test
    void ratingsAreCountedPerOperatorSinceAMoment() {
        CallKey a = new CallKey("pbx1", "3.0");
        CallKey b = new CallKey("pbx1", "4.0");
        CallKey c = new CallKey("pbx1", "5.0");
        record(a, true, List.of(new CrmLifecycle.Rating(a, "101", 5, T0.minusSeconds(3600), true)));
        record(b, true, List.of(new CrmLifecycle.Rating(b, "101", 3, T0.plusSeconds(10), true)));
        record(c, true, List.of(new CrmLifecycle.Rating(c, "102", 4, T0.plusSeconds(20), false)));
        assertEquals(List.of(new OperatorRatingsStore.OperatorRatings("101", 1, 3.0, Map.of(3, 1)),
                new OperatorRatingsStore.OperatorRatings("102", 1, 4.0, Map.of(4, 1))),
                outbox.ratings().byOperator(T0), "the rating before T0 is not counted");
    }

    @Test
    void aFinishHeldForTheRatingIsStoredWithTheCallAndReadBackAfterARestart() {
        CallKey k = new CallKey("pbx1", "6.0");
        CallEvent.Ended talk = new CallEvent.Ended(k, T0.plusSeconds(32), CallEvent.Outcome.ANSWERED, 30, "101",
                "101", "/rec/6.0.wav", 2);
        CallCrmState held = answeredBy101(k).shownTo(List.of("101")).responsible(2)
                .heldTalk(talk, T0.plusSeconds(52)).recordingFile("/rec/6.0.wav").build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(k, held, List.of(), false)));
        assertEquals(List.of(held), Outbox.open(box.db(), Json.newMapper()).journal().openCalls());
    }

    @Test
    void aCommentTheBoxRefusesForGoodDoesNotHoldTheRecordingBack() throws Exception {
        script.on("telephony.externalcall.register", body -> ScriptedBox.ok(
                "{\"CALL_ID\": \"CALL-7\", \"CRM_ENTITY_TYPE\": \"LEAD\", \"CRM_ENTITY_ID\": \"99\"}"));
        script.on("crm.timeline.comment.add", body -> ScriptedBox.error(400, "", "Entity not found: LEAD 99"));
        script.on("telephony.externalCall.attachRecord", body -> ScriptedBox.ok("{\"FILE_ID\": 1}"));
        Files.writeString(dir.resolve("7.0.wav"), "RIFF");
        CallKey k = new CallKey("pbx1", "7.0");
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(), rating(k, 3), new CrmCommand.AttachRecording(k, "/var/spool/asterisk/monitor/7.0.wav"));
        awaitQuiet();
        assertTrue(script.methods().contains("telephony.externalCall.attachRecord"), script.methods().toString());
        assertEquals(0, outbox.report().counts().dead());
    }
}
