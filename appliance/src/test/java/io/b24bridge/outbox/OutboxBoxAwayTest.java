package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backlog whose commands sit out pauses after the box refused connections: one probe a second finds the box back,
 * and its answer makes the whole backlog due at once — not each command at the end of its own doubling pause (what
 * left a catch-up idle for up to 30 s after the box returned, its rate limit unused). Against the dispatcher's fake
 * box on a real Derby; time is the test's clock.
 */
class OutboxBoxAwayTest {

    private static final int CALLS = 30;
    private static final Duration PAUSE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;
    final DispatcherTest.FakeBox box = new DispatcherTest.FakeBox();
    final DispatcherTest.TestClock clock = new DispatcherTest.TestClock();
    Dispatcher dispatcher;

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        outbox = Outbox.open(db, Json.newMapper());
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        db.close();
    }

    @Test
    void oneProbeASecondFindsTheBoxBackAndTheWholeBacklogGoesAtOnce() {
        // an earlier run left 30 calls' registers waiting out a 20 s pause after the box refused them
        List<CallKey> calls = new ArrayList<>();
        for (int n = 0; n < CALLS; n++) {
            CallKey k = new CallKey("pbx1", n + ".0");
            calls.add(k);
            CallCrmState state = CallCrmState.builder(k, CallEvent.Direction.INBOUND, Instant.now())
                    .clientNumber("+79161112233").registered(true).build();
            outbox.journal().record(List.of(new CrmLifecycle.Change(k, state, List.of(new CrmCommand.Register(k,
                    CrmCommand.UserRef.extension("101"), "+79161112233", false, Instant.now(), true, "CALL",
                    "74951234567", true)), false)));
        }
        for (OutboxQueue.Entry e : outbox.queue().heads(calls)) {
            outbox.queue().retryAt(e, clock.instant().plus(PAUSE), "connection refused", false);
        }
        box.away = true;
        dispatcher = new Dispatcher(outbox, box, Map.of(), 4, clock, Duration.ofSeconds(2)).start();

        // still away: the box is tried once a second of the clock, with one command, and nothing else goes
        for (int second = 1; second <= 3; second++) {
            int tries = second;
            await("try " + tries).atMost(Duration.ofSeconds(30)).until(() -> box.refused.size() >= tries);
            assertEquals(tries, box.refused.size(), "one try a second: " + box.refused);
            clock.advance(BoxPresence.PROBE_EVERY);
            dispatcher.wake();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> box.refused.size() >= 4);

        box.away = false;
        clock.advance(BoxPresence.PROBE_EVERY);
        dispatcher.wake();
        await("the backlog drains").atMost(Duration.ofSeconds(30)).until(() -> {
            OutboxReport.Counts c = outbox.report().counts();
            return c.pending() == 0 && c.sending() == 0;
        });
        // 5 s of the clock went by, the pauses were 20 s: the probe's answer made them due
        assertEquals(CALLS, outbox.report().counts().done());
        assertEquals(CALLS, box.sent.stream().filter(s -> s.startsWith("register")).distinct().count());
        assertTrue(box.batchSizes.stream().anyMatch(n -> n >= CALLS - 5), "the backlog went in a batch: "
                + box.batchSizes);
    }

    @Test
    void aBoxThatAnswersEvenWithAnErrorIsNotProbed() {
        BoxPresence presence = new BoxPresence(() -> {
        });
        Instant now = Instant.now();
        presence.failed(new Failure(Failure.Kind.CREDENTIALS, "expired_token", "refused credentials", null));
        assertFalse(presence.probeDue(now), "just started, and the box refused the credentials: it is there, and "
                + "the command keeps its long pause");
        presence.failed(new Failure(Failure.Kind.RETRY_LATER, "HTTP_503", "busy", null));
        presence.failed(new Failure(Failure.Kind.RETRY_LATER, "QUERY_LIMIT_EXCEEDED", "too many requests", null));
        assertFalse(presence.probeDue(now), "a busy or rate-limiting box keeps its commands' own pauses");
        presence.failed(new Failure(Failure.Kind.RETRY_LATER, "UNREACHABLE", "connection refused", null));
        assertTrue(presence.probeDue(now), "no connection: probed");
        assertFalse(presence.probeDue(now.plus(BoxPresence.PROBE_EVERY).minusMillis(1)), "once a second");
        assertTrue(presence.probeDue(now.plus(BoxPresence.PROBE_EVERY)));
    }
}
