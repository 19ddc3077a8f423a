package io.b24bridge.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import io.b24bridge.store.SmallDisk;
import io.b24bridge.store.StoreException;

/**
 * The outbox while Derby runs its database read-only after a write failed on a full disk (FaultSuiteDiskFullTest,
 * 2026-12-03): that boot runs no recovery, so the database's pages lack what was committed since they were last
 * written. The outbox read commands done seconds before as waiting and sent them again — cards after the call's
 * finish, and finishes the box no longer knew, set aside as dead letters once the database was reopened (the
 * stale pages themselves are Derby's cache and disk at that moment: not reproduced here). Its reads are refused
 * until the reopen instead, as its writes are. On a small tmpfs of its own; needs root and fails, never skips, when it cannot mount.
 */
class OutboxOnAReadOnlyBootTest {

    @TempDir
    static Path dir;
    private static SmallDisk disk;

    @BeforeAll
    static void mount() throws Exception {
        disk = SmallDisk.mount(dir.resolve("disk"), "16m");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void theOutboxDoesNotReadWhatWaitsWhileDerbyRunsTheDatabaseReadOnly() throws Exception {
        Database db = Database.open(disk.path().resolve("db"));
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            db.inTransaction(c -> c.createStatement().executeUpdate("CREATE TABLE FILLER (NOTE VARCHAR(2000))"));
            Outbox outbox = Outbox.open(db, Json.newMapper());
            CallKey call = record(outbox);
            assertEquals(List.of(call), outbox.queue().readyCalls(Instant.now(), 10));

            // Derby's own shutdown when its log cannot be written on a full disk (XSLA0), here before the disk fills
            // so that its lock file finds no room again (DatabaseDiskFullTest): the next connection boots it read-only
            try {
                DriverManager.getConnection("jdbc:derby:" + db.dir().toAbsolutePath() + ";shutdown=true").close();
            } catch (SQLException e) {
                assertEquals("08006", e.getSQLState(), e::getMessage);
            }
            disk.fill();
            boolean readOnly = db.inTransaction(c -> c.isReadOnly());
            assertTrue(readOnly, "booted read-only on the full disk");

            // in the fault suite the pages it read lacked commands done seconds before: read as waiting, sent again
            assertThrows(StoreException.class, () -> outbox.queue().waitingCalls(Instant.now(), 10),
                    "the scan waits for the reopen");
            assertThrows(StoreException.class, () -> outbox.queue().readyCalls(Instant.now(), 10));
            assertThrows(StoreException.class, () -> outbox.queue().head(call), "a worker's read too");
            assertThrows(StoreException.class, () -> outbox.queue().heads(List.of(call)), "a batch round's too");
            assertThrows(StoreException.class, () -> outbox.journal().bitrixCallId(call));
            assertThrows(StoreException.class, () -> outbox.journal().knows(call),
                    "the reconciliation's question: a call done since would be registered twice");

            disk.free();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) { // reopened at a write, one try a second (Database.REOPEN_EVERY_NANOS), as the owners retry
                try {
                    filler(db);
                    break;
                } catch (StoreException stillReadOnly) {
                    assertTrue(System.nanoTime() < end, "still read-only 30 s after the disk was freed");
                    Thread.sleep(100);
                }
            }
            assertEquals(List.of(call), outbox.queue().readyCalls(Instant.now(), 10), "reopened: read again");
        } finally {
            db.close();
        }
    }

    private static void filler(Database db) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO FILLER VALUES (?)")) {
                ps.setString(1, "x".repeat(2000));
                return ps.executeUpdate();
            }
        });
    }

    private static CallKey record(Outbox outbox) {
        CallKey key = new CallKey("pbx1", "1700000000.1");
        CrmCommand.UserRef operator = CrmCommand.UserRef.extension("101");
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161112233").did("74951234567").defaultResponsible(4).leadSource("CALL")
                .lineNumber("74951234567").registered(true).operator("101").build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, operator, "+79161112233", false, Instant.now(), true, "CALL",
                        "74951234567", true)), false)));
        return key;
    }
}
