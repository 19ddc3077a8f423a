package io.b24bridge.outbox;

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

import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.MockBoxAccess;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.calls.CallCrmState;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CrmCommand;
import io.b24bridge.calls.CrmLifecycle;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rating that came after the finish reaches the CRM entity register bound the call to, as a timeline
 * comment naming the operator; every rating is kept per operator, in the transaction of the call's change.
 */
class RatingDeliveryTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    @TempDir
    Path dir;
    MockBoxAccess box;
    ScriptedBox script;
    OutboxStore store;
    Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        script = new ScriptedBox();
        script.on("crm.timeline.comment.add", body -> ScriptedBox.ok("77"));
        box = MockBoxAccess.application(dir, script);
        store = new OutboxStore(box.db(), Json.newMapper());
        CrmApi crm = new CrmApi(box.client());
        dispatcher = new Dispatcher(store, new CommandExecutor(new TelephonyApi(box.client()), crm,
                new UserDirectory(crm, Clock.systemUTC()), Map.of()), box.client(), 4, Clock.systemUTC());
        store.afterRecord(dispatcher::wake);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        dispatcher.stop(Duration.ofSeconds(2));
        box.close();
    }

    private void record(CallKey key, boolean ended, List<CrmLifecycle.Rating> ratings, CrmCommand... commands) {
        CallCrmState state = new CallCrmState(key, CallEvent.Direction.INBOUND, T0, "+79162000001", "4952000001",
                null, false, 4, true, "CALL", "4952000001", null, true, List.of(), "101", T0, "101", 5, true);
        store.record(List.of(new CrmLifecycle.Change(key, state, List.of(commands), ended, ratings)));
    }

    private static CrmCommand.Register register(CallKey key) {
        return new CrmCommand.Register(key, CrmCommand.UserRef.extension("101"), "+79162000001", false, T0, true,
                "CALL", "4952000001", true);
    }

    private static CrmCommand.Finish finish(CallKey key) {
        return new CrmCommand.Finish(key, CrmCommand.UserRef.extension("101"), 30, "200", null, false);
    }

    private void awaitQuiet() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            OutboxStore.Counts c = store.counts();
            if (c.pending() == 0 && c.sending() == 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the outbox did not drain: " + store.counts() + " " + store.deadLetters(10));
    }

    @Test
    void aLateRatingIsACommentOnTheEntityRegisterBoundTheCallTo() throws Exception {
        script.on("telephony.externalcall.register", body -> ScriptedBox.ok(
                "{\"CALL_ID\": \"CALL-1\", \"CRM_ENTITY_TYPE\": \"CONTACT\", \"CRM_ENTITY_ID\": \"12\"}"));
        CallKey k = new CallKey("pbx1", "1.0");
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(new CrmLifecycle.Rating(k, "101", 5, T0.plusSeconds(40), false)),
                new CrmCommand.RatingComment(k, 5, CrmCommand.UserRef.extension("101"), T0.plusSeconds(40)));
        awaitQuiet();

        assertEquals(List.of("telephony.externalcall.register", "telephony.externalcall.finish", "user.get",
                "crm.timeline.comment.add"), script.methods());
        String body = script.seen.getLast().body();
        assertEquals("contact", ScriptedBox.param(body, "fields[ENTITY_TYPE]"));
        assertEquals("12", ScriptedBox.param(body, "fields[ENTITY_ID]"));
        String comment = ScriptedBox.param(body, "fields[COMMENT]");
        assertTrue(comment.contains("5 of 5") && comment.contains("Anna (101)"), comment);
        assertEquals(List.of(new OperatorRatingsStore.OperatorRatings("101", 1, 5.0, Map.of(5, 1))),
                store.ratings().byOperator(T0));
    }

    @Test
    void aRatingWithNoEntityToGoToIsOnlyKept() throws Exception {
        CallKey k = new CallKey("pbx1", "2.0"); // the default register answer binds nothing
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(new CrmLifecycle.Rating(k, "101", 2, T0.plusSeconds(40), false)),
                new CrmCommand.RatingComment(k, 2, CrmCommand.UserRef.extension("101"), T0.plusSeconds(40)));
        awaitQuiet();

        assertFalse(script.methods().contains("crm.timeline.comment.add"), script.methods().toString());
        assertEquals(0, store.counts().dead(), "done, not a dead letter");
        assertEquals(1, store.ratings().byOperator(T0).getFirst().count());
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
                new OperatorRatingsStore.OperatorRatings("102", 1, 4.0, Map.of(4, 1))), store.ratings().byOperator(T0),
                "the rating before T0 is not counted");
    }

    @Test
    void aFinishHeldForTheRatingIsStoredWithTheCallAndReadBackAfterARestart() {
        CallKey k = new CallKey("pbx1", "6.0");
        CallEvent.Ended talk = new CallEvent.Ended(k, T0.plusSeconds(32), "200", 30, "101", "101", "/rec/6.0.wav", 2);
        CallCrmState held = new CallCrmState(k, CallEvent.Direction.INBOUND, T0, "+79162000001", "4952000001", null,
                false, 4, true, "CALL", "4952000001", null, true, List.of("101"), "101", T0, "101", null, false, 2,
                talk, T0.plusSeconds(52), "/rec/6.0.wav", false);
        store.record(List.of(new CrmLifecycle.Change(k, held, List.of(), false)));
        assertEquals(List.of(held), new OutboxStore(box.db(), Json.newMapper()).openCalls());
    }

    @Test
    void aCommentTheBoxRefusesForGoodDoesNotHoldTheRecordingBack() throws Exception {
        script.on("telephony.externalcall.register", body -> ScriptedBox.ok(
                "{\"CALL_ID\": \"CALL-7\", \"CRM_ENTITY_TYPE\": \"LEAD\", \"CRM_ENTITY_ID\": \"99\"}"));
        script.on("crm.timeline.comment.add", body -> ScriptedBox.error(400, "", "Entity not found: LEAD 99"));
        script.on("telephony.externalCall.attachRecord", body -> ScriptedBox.ok("{\"FILE_ID\": 1}"));
        java.nio.file.Files.writeString(dir.resolve("7.0.wav"), "RIFF");
        CallKey k = new CallKey("pbx1", "7.0");
        record(k, false, List.of(), register(k), finish(k));
        record(k, true, List.of(), new CrmCommand.RatingComment(k, 3, CrmCommand.UserRef.extension("101"), T0),
                new CrmCommand.AttachRecording(k, dir.resolve("7.0.wav").toString()));
        awaitQuiet();
        assertTrue(script.methods().contains("telephony.externalCall.attachRecord"), script.methods().toString());
        assertEquals(0, store.counts().dead());
    }
}
