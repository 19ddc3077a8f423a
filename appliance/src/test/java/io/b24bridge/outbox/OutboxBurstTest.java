package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of calls while the box is away, on a real Derby: every change is recorded, however many, and ids
 * go on after a restart. Why ids come from the store: Derby's identity generator failed an insert with 40XL1
 * at the 90th–130th call of a burst in {@code OutboxCatchUpBench} (box emulator in the same JVM), which lost
 * that call's change. That race needs the bench's load to show; here the store's own ids are what is proved.
 */
class OutboxBurstTest {

    @TempDir
    Path dir;

    private static void recordCall(Outbox outbox, int n, boolean rated) {
        CallKey key = new CallKey("pbx1", "1700000000." + n);
        CrmCommand.UserRef operator = CrmCommand.UserRef.extension("101");
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+7916" + n).did("74951234567").defaultResponsible(4).leadSource("CALL")
                .lineNumber("74951234567").registered(true).operator("101").answeredAt(Instant.now()).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, operator, String.format("+7916%07d", n), false, Instant.now(), true,
                        "CALL", "74951234567", true),
                new CrmCommand.Show(key, List.of(CrmCommand.UserRef.extension("102"))),
                new CrmCommand.Hide(key, List.of(CrmCommand.UserRef.extension("102"))),
                new CrmCommand.Finish(key, operator, 30, "200", rated ? 5 : null, false)), true,
                rated ? List.of(new CrmLifecycle.Rating(key, "101", 5, Instant.now(), true)) : List.of(), null)));
    }

    @Test
    void aBurstOfCallsWhileTheBoxIsAwayIsRecordedWhole() throws InterruptedException {
        Database db = Database.open(dir.resolve("db"));
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            Outbox store = Outbox.open(db, Json.newMapper());
            // the dispatcher's side meanwhile: scans for due work, as it does while the box is away
            AtomicBoolean recording = new AtomicBoolean(true);
            Thread scanner = Thread.ofPlatform().start(() -> {
                while (recording.get()) {
                    store.queue().readyCalls(Instant.now(), 1000);
                    store.queue().dueNow();
                    store.report().counts();
                }
            });
            try {
                for (int n = 0; n < 400; n++) {
                    recordCall(store, n, n % 2 == 0);
                }
            } finally {
                recording.set(false);
                scanner.join();
            }
            assertEquals(1600, store.report().counts().pending());
            assertEquals(200, store.ratings().byOperator(Instant.EPOCH).getFirst().count());
        } finally {
            db.close();
        }
    }

    @Test
    void anOutboxFromTheIdentityDaysIsUpgradedAndGoesOn() throws Exception {
        Database db = Database.open(dir.resolve("db"));
        try {
            // a database as the previous version left it: schema V4, a command whose id Derby generated
            Migrations.apply(db, Migrations.SCHEMA.subList(0, 4));
            try (var c = db.connection(); var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO CRM_CALLS (CALL_KEY, STATE, NEXT_SEQ, ENDED, CREATED_AT, UPDATED_AT) "
                        + "VALUES ('pbx1:1699999999.1', '{}', 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
                s.executeUpdate("INSERT INTO OUTBOX (CALL_KEY, SEQ, KIND, PAYLOAD, STATE, ATTEMPTS, NEXT_AT, CREATED_AT) "
                        + "VALUES ('pbx1:1699999999.1', 0, 'REGISTER', '{}', 'DONE', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
            Migrations.apply(db, Migrations.SCHEMA);
            Outbox store = Outbox.open(db, Json.newMapper());
            recordCall(store, 1, true);
            try (var c = db.connection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT MIN(ID), MAX(ID), COUNT(*) FROM OUTBOX")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the old command keeps its id");
                assertEquals(5, rs.getLong(2), "new ones follow it");
                assertEquals(5, rs.getLong(3));
            }
        } finally {
            db.close();
        }
    }

    @Test
    void afterARestartNewCommandsQueueBehindTheOldOnes() {
        Database db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        Outbox before = Outbox.open(db, Json.newMapper());
        for (int n = 0; n < 5; n++) {
            recordCall(before, n, true);
        }
        db.close();

        db = Database.open(dir.resolve("db"));
        try {
            Outbox after = Outbox.open(db, Json.newMapper());
            recordCall(after, 99, true);
            assertEquals(24, after.report().counts().pending());
            assertEquals(6, after.ratings().byOperator(Instant.EPOCH).getFirst().count());
            // the dispatcher serves the call whose first waiting command is oldest first: the restart's new
            // call must come last, so its ids continue after the stored ones
            List<CallKey> ready = after.queue().readyCalls(Instant.now().plusSeconds(1), 10);
            assertEquals(6, ready.size());
            assertEquals(new CallKey("pbx1", "1700000000.99"), ready.getLast());
            assertTrue(after.queue().head(ready.getLast()).orElseThrow().id()
                    > after.queue().head(ready.getFirst()).orElseThrow().id());
        } finally {
            db.close();
        }
    }
}
