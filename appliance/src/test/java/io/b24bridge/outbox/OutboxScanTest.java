package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dispatcher's scan on a real Derby (each call here has one command: a call counts by its commands waiting, its
 * head or a later one): one query tells which calls have a command due now (those first) and which
 * wait out a pause ending within the horizon; calls with every command done, and pauses past the horizon, are not
 * in it.
 */
class OutboxScanTest {

    @TempDir
    Path dir;
    private Database db;
    private Outbox outbox;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        outbox = Outbox.open(db, Json.newMapper());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theScanListsWhatIsDueNowFirstThenWhatWaitsOutAPauseWithinTheHorizon() {
        Instant now = Instant.now();
        CallKey pausedShortly = record(1);
        CallKey due = record(2);
        CallKey allDone = record(3);
        CallKey pausedLong = record(4);
        CallKey sending = record(5);
        OutboxQueue q = outbox.queue();
        q.retryAt(q.head(pausedShortly).orElseThrow(), now.plusSeconds(10), "box away", false);
        q.retryAt(q.head(pausedLong).orElseThrow(), now.plusSeconds(120), "box away", false);
        q.sending(q.head(sending).orElseThrow()); // left by a crash: still waiting to be sent
        outbox.done(q.head(allDone).orElseThrow(), null);

        List<OutboxQueue.Waiting> waiting = q.waitingCalls(now.plusSeconds(30), 1000);

        assertEquals(List.of(due, sending, pausedShortly), waiting.stream().map(OutboxQueue.Waiting::call).toList());
        assertEquals(now.plusSeconds(10), waiting.getLast().dueAt());
        assertEquals(List.of(due, sending), q.readyCalls(Instant.now(), 1000));
    }

    @Test
    void theJournalTellsWhichOfManyCallsItHasInOneQuestion() {
        Set<CallKey> recorded = new HashSet<>();
        List<CallKey> asked = new ArrayList<>();
        for (int n = 0; n < 2 * CallJournalStore.KNOWN_CHUNK + 3; n++) { // across chunks, the last one part full
            if (n % 2 == 0) {
                recorded.add(record(n));
                asked.add(new CallKey("pbx1", "1700000000." + n));
            } else {
                asked.add(new CallKey("pbx1", "1700000001." + n)); // never recorded
            }
        }

        assertEquals(recorded, outbox.journal().known(asked));
        assertEquals(Set.of(), outbox.journal().known(List.of(new CallKey("pbx1", "1.1"))));
    }

    private CallKey record(int n) {
        CallKey key = new CallKey("pbx1", "1700000000." + n);
        CrmCommand.UserRef operator = CrmCommand.UserRef.extension("101");
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+7916" + n).did("74951234567").defaultResponsible(4).leadSource("CALL")
                .lineNumber("74951234567").registered(true).operator("101").build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, operator, String.format("+7916%07d", n), false, Instant.now(), true,
                        "CALL", "74951234567", true)), false)));
        return key;
    }
}
