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
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch is one request of the box's rate limit whatever it carries: it goes with 50 commands that may go now, the
 * calls whose first command waits out a pause passing their places on to the next calls in line — not 50 calls
 * taken in line and sent with the few that were due (what filled a catch-up's batches to 41 of 50). Against the
 * dispatcher's fake box on a real Derby; time is the test's clock.
 */
class OutboxBatchFillTest {

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
    void callsWhoseFirstCommandWaitsPassTheirPlacesInTheBatchOn() {
        // first in line: 10 calls whose register the box refused a moment ago (a pause of 20 s) and whose finish
        // came after it, then 50 calls with a register due
        List<CallKey> paused = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            CallKey k = call(n);
            paused.add(k);
            record(k, register(k), new CrmCommand.Finish(k, CrmCommand.UserRef.extension("101"), 42, "200", null,
                    true));
        }
        for (OutboxQueue.Entry e : outbox.queue().heads(paused)) {
            outbox.queue().retryAt(e, clock.instant().plus(Duration.ofSeconds(20)), "a busy box's 503", false);
        }
        for (int n = 10; n < 60; n++) {
            record(call(n), register(call(n)));
        }
        dispatcher = new Dispatcher(outbox, box, Map.of(), 4, clock, Duration.ofSeconds(2)).start();

        await("the first batch went").atMost(Duration.ofSeconds(30)).until(() -> box.sent.size() >= 50);
        assertEquals(50, box.batchSizes.getFirst(), "the first request carries 50: " + box.batchSizes);
        // its 50 are the calls that were due; the paused ones go later (the box's first answer after the start
        // makes every pause end: BoxPresence)
        List<String> due = new ArrayList<>();
        for (int n = 10; n < 60; n++) {
            due.add("register " + n + ".0");
        }
        assertEquals(due.stream().sorted().toList(), box.sent.subList(0, 50).stream().sorted().toList());
    }

    private static CallKey call(int n) {
        return new CallKey("pbx1", n + ".0");
    }

    private static CrmCommand.Register register(CallKey k) {
        return new CrmCommand.Register(k, CrmCommand.UserRef.extension("101"), "+79161112233", false, Instant.now(),
                true, "CALL", "74951234567", true);
    }

    private void record(CallKey k, CrmCommand... commands) {
        CallCrmState state = CallCrmState.builder(k, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161112233").registered(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(k, state, List.of(commands), false)));
    }
}
