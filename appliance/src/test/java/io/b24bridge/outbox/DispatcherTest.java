package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher against a fake box (no HTTP): what it sends in what order, what it makes of each kind of
 * failure, what it recognises after a crash, and when it batches. The outbox is a real Derby; time is the
 * test's own clock.
 */
class DispatcherTest {

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;
    final FakeBox box = new FakeBox();
    final TestClock clock = new TestClock();
    Dispatcher dispatcher;

    /** A box that answers as the test says and keeps what it was sent, in order: "finish CALL-1.0", … */
    static final class FakeBox implements BoxGateway {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        /** Failures to answer, per kind of request ("register", "finish", …), one per request. */
        final Map<String, Queue<Failure>> failures = new ConcurrentHashMap<>();
        final List<CallKey> commentsOnTimeline = new CopyOnWriteArrayList<>();
        /** Takes no connections (as a box that is down): every request fails with UNREACHABLE, and is counted. */
        volatile boolean away;
        final List<String> refused = new CopyOnWriteArrayList<>();

        private void refuseWhileAway(String what) throws Failure {
            if (away) {
                refused.add(what);
                throw new Failure(Failure.Kind.RETRY_LATER, "UNREACHABLE", what + ": connection refused", null);
            }
        }

        void fail(String what, Failure.Kind kind) {
            failures.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>())
                    .add(new Failure(kind, "TEST", what + " failed: " + kind, null));
        }

        private void answer(String what, String detail) throws Failure {
            refuseWhileAway(what + " " + detail);
            Failure f = failures.getOrDefault(what, new ConcurrentLinkedQueue<>()).poll();
            sent.add(what + " " + detail);
            if (f != null) {
                throw f;
            }
        }

        @Override
        public Registration register(CrmCommand.Register r) throws Failure {
            answer("register", r.call().linkedid());
            return new Registration("CALL-" + r.call().linkedid(), new CrmEntity("CONTACT", 12));
        }

        @Override
        public Lookup lookUpRegistration(CallKey call) {
            return new Lookup.CannotTell();
        }

        @Override
        public void show(String callId, List<CrmCommand.UserRef> users) throws Failure {
            answer("show", callId);
        }

        @Override
        public void hide(String callId, List<CrmCommand.UserRef> users) throws Failure {
            answer("hide", callId);
        }

        @Override
        public void finish(String callId, CrmCommand.Finish command) throws Failure {
            answer("finish", callId);
        }

        @Override
        public void attachRecording(String callId, String fileName, Path file) throws Failure {
            answer("attach", callId);
        }

        @Override
        public void addRatingComment(CrmEntity entity, CrmCommand.RatingComment rating) throws Failure {
            answer("comment", rating.call().linkedid());
            commentsOnTimeline.add(rating.call());
        }

        @Override
        public boolean hasRatingComment(CrmEntity entity, CallKey call) throws Failure {
            answer("look for comment", call.linkedid());
            return commentsOnTimeline.contains(call);
        }

        @Override
        public List<BatchAnswer> batch(List<BatchItem> items) throws Failure {
            refuseWhileAway("batch of " + items.size());
            batchSizes.add(items.size());
            List<BatchAnswer> answers = new ArrayList<>();
            for (BatchItem item : items) {
                try {
                    answers.add(BatchAnswer.sent(switch (item.command()) {
                        case CrmCommand.Register r -> register(r);
                        case CrmCommand.Finish f -> {
                            finish(item.callId(), f);
                            yield null;
                        }
                        default -> throw new AssertionError("not in this test's batches: " + item);
                    }));
                } catch (Failure f) {
                    answers.add(BatchAnswer.failed(f));
                }
            }
            return answers;
        }
    }

    /**
     * A clock the test moves on: commands waiting out a pause become due when it passes their time. It runs an
     * hour ahead of the store's own clock, which stamps new commands due at once.
     */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.now().plus(Duration.ofHours(1));

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        outbox = Outbox.open(db, Json.newMapper());
    }

    private void startDispatcher() {
        dispatcher = new Dispatcher(outbox, box, Map.of(), 4, clock, Duration.ofSeconds(2)).start();
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        db.close();
    }

    private static CallKey call(int n) {
        return new CallKey("pbx1", n + ".0");
    }

    private void record(CallKey key, boolean ended, CrmCommand... commands) {
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161112233").registered(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(commands), ended)));
    }

    private static CrmCommand.Register register(CallKey k) {
        return new CrmCommand.Register(k, CrmCommand.UserRef.extension("101"), "+79161112233", false, Instant.now(),
                true, "CALL", "74951234567", true);
    }

    private static CrmCommand.Show show(CallKey k) {
        return new CrmCommand.Show(k, List.of(CrmCommand.UserRef.extension("102")));
    }

    private static CrmCommand.Finish finish(CallKey k) {
        return new CrmCommand.Finish(k, CrmCommand.UserRef.extension("101"), 42, "200", null, true);
    }

    private static CrmCommand.RatingComment rating(CallKey k) {
        return new CrmCommand.RatingComment(k, 5, CrmCommand.UserRef.extension("101"), Instant.now());
    }

    private void awaitQuiet() {
        await("the outbox drains").atMost(Duration.ofSeconds(30)).until(() -> {
            OutboxReport.Counts c = outbox.report().counts();
            return c.pending() == 0 && c.sending() == 0;
        });
    }

    private void awaitDead(int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.report().counts().dead() == n);
    }

    @Test
    void aCallsCommandsGoInOrderWithTheCallIdRegisterTaught() {
        startDispatcher();
        CallKey k = call(1);
        record(k, false, register(k), show(k));
        record(k, true, finish(k));
        awaitQuiet();
        assertEquals(List.of("register 1.0", "show CALL-1.0", "finish CALL-1.0"), box.sent);
        assertEquals("CALL-1.0", outbox.journal().bitrixCallId(k).orElseThrow());
        assertEquals(new CrmEntity("CONTACT", 12), outbox.journal().crmEntity(k).orElseThrow());
    }

    @Test
    void aCommandTheBoxCannotTakeNowWaitsItsPauseAndGoesOnce() {
        box.fail("register", Failure.Kind.RETRY_LATER);
        startDispatcher();
        CallKey k = call(2);
        record(k, true, register(k), finish(k));
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.report().counts().pending() == 2
                && outbox.queue().head(k).orElseThrow().attempts() == 1);
        assertEquals(List.of("register 2.0"), box.sent, "nothing after the failed register: the finish waits");
        OutboxQueue.Entry waiting = outbox.queue().head(k).orElseThrow();
        assertTrue(!waiting.nextAt().isBefore(clock.instant().plusMillis(500)), "a pause of at least half a second");

        clock.advance(Settlement.MAX_RETRY_PAUSE);
        dispatcher.wake();
        awaitQuiet();
        assertEquals(List.of("register 2.0", "register 2.0", "finish CALL-2.0"), box.sent);
    }

    @Test
    void credentialsThatDoNotWorkMeanALongPauseNotADeadLetter() {
        box.fail("register", Failure.Kind.CREDENTIALS);
        startDispatcher();
        CallKey k = call(3);
        record(k, false, register(k));
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.queue().head(k).orElseThrow().attempts() == 1);
        OutboxQueue.Entry waiting = outbox.queue().head(k).orElseThrow();
        assertEquals(OutboxState.PENDING, waiting.state());
        assertTrue(!waiting.nextAt().isBefore(clock.instant().plusSeconds(15)), "half of the 30 s auth pause at least");
    }

    @Test
    void aRejectedCommandIsADeadLetterThatHoldsItsCallUntilRevived() {
        box.fail("register", Failure.Kind.REJECTED);
        startDispatcher();
        CallKey k = call(4);
        CallKey other = call(5);
        record(k, true, register(k), finish(k));
        awaitDead(1);
        record(other, true, register(other), finish(other));
        await().atMost(Duration.ofSeconds(30)).until(() -> box.sent.contains("finish CALL-5.0"));
        assertEquals(List.of("register 4.0", "register 5.0", "finish CALL-5.0"), box.sent,
                "the other call went through; this one waits behind its dead register");

        assertTrue(outbox.queue().revive(outbox.report().deadLetters(10).getFirst().id()));
        dispatcher.wake();
        awaitQuiet();
        assertEquals(List.of("register 4.0", "finish CALL-4.0"), box.sent.subList(3, 5));
    }

    @Test
    void aFinishTheBoxTookBeforeACrashIsDoneWhenTheBoxSaysTheCallIsFinished() {
        CallKey k = call(6);
        record(k, true, register(k), finish(k));
        outbox.done(outbox.queue().head(k).orElseThrow(), new BoxGateway.Registration("CALL-6.0", null));
        outbox.queue().sending(outbox.queue().head(k).orElseThrow()); // then the appliance died
        box.fail("finish", Failure.Kind.CALL_ALREADY_FINISHED);
        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("finish CALL-6.0"), box.sent);
        assertEquals(0, outbox.report().counts().dead());
    }

    @Test
    void aFinishNeverSentThatTheBoxSaysIsFinishedIsADeadLetter() {
        box.fail("finish", Failure.Kind.CALL_ALREADY_FINISHED);
        startDispatcher();
        CallKey k = call(7);
        record(k, true, register(k), finish(k));
        awaitDead(1);
        assertEquals("FINISH", outbox.report().deadLetters(10).getFirst().kind());
    }

    @Test
    void aRatingCommentIsLookedForOnTheTimelineOnlyWhenItMayHaveGoneBefore() {
        startDispatcher();
        CallKey k = call(8);
        record(k, false, register(k), finish(k));
        record(k, true, rating(k));
        awaitQuiet();
        assertEquals(List.of("register 8.0", "finish CALL-8.0", "comment 8.0"), box.sent, "sent once, no look-up");
    }

    @Test
    void aRatingCommentOnTheTimelineAlreadyIsNotAddedAgainAfterACrash() {
        CallKey k = call(9);
        record(k, false, register(k), finish(k));
        record(k, true, rating(k));
        outbox.done(outbox.queue().head(k).orElseThrow(),
                new BoxGateway.Registration("CALL-9.0", new CrmEntity("CONTACT", 12)));
        outbox.done(outbox.queue().head(k).orElseThrow(), null);
        outbox.queue().sending(outbox.queue().head(k).orElseThrow());
        box.commentsOnTimeline.add(k); // the box took it, then the appliance died
        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("look for comment 9.0"), box.sent);
    }

    @Test
    void aRatingCommentWhoseSendFailedIsLookedForBeforeItIsSentAgain() {
        box.fail("comment", Failure.Kind.RETRY_LATER); // the answer was lost: did it reach the box?
        startDispatcher();
        CallKey k = call(10);
        record(k, false, register(k), finish(k));
        record(k, true, rating(k));
        await().atMost(Duration.ofSeconds(30)).until(() -> box.sent.contains("comment 10.0"));
        clock.advance(Settlement.MAX_RETRY_PAUSE);
        dispatcher.wake();
        awaitQuiet();
        assertEquals(List.of("register 10.0", "finish CALL-10.0", "comment 10.0", "look for comment 10.0",
                "comment 10.0"), box.sent, "not on the timeline: sent again");
    }

    @Test
    void aBacklogGoesInBatchesOneCommandPerCallPerRoundInOrder() {
        int calls = 30; // from 20 ready calls on the outbox counts as behind
        for (int n = 100; n < 100 + calls; n++) {
            record(call(n), true, register(call(n)), finish(call(n)));
        }
        box.fail("finish", Failure.Kind.REJECTED); // one finish of the batch is refused: only it is set aside
        startDispatcher();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.report().counts().done() == 2L * calls - 1);
        assertTrue(!box.batchSizes.isEmpty() && box.batchSizes.getFirst() == calls, "all the registers in one batch: "
                + box.batchSizes);
        for (int n = 100; n < 100 + calls; n++) {
            String id = n + ".0";
            List<String> forCall = box.sent.stream().filter(s -> s.endsWith(" " + id) || s.endsWith("-" + id)).toList();
            assertEquals(List.of("register " + id, "finish CALL-" + id), forCall, "in order: " + id);
        }
        assertEquals(1, outbox.report().counts().dead());
    }
}
