package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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
 * The call engine and the outbox sender write the same calls' rows at once (after a restart: hundreds of calls
 * found on the PBX, their registers answered while their next facts are stored). Both take the calls' rows in one
 * order, so neither waits for the other in a cycle: a deadlock cost the engine 20 s and more (Derby's detection),
 * during which the PBX's events piled up and calls waiting for their PBX record were finished without it.
 */
class JournalLockOrderTest {

    private static final int CALLS = 60;

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;
    final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        outbox = Outbox.open(db, Json.newMapper());
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        db.close();
    }

    private static CallKey call(int n) {
        return new CallKey("pbx1", (1796267000 + n) + "." + n);
    }

    private static CrmLifecycle.Change change(CallKey key, CrmCommand command) {
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79990000001").did("74951234567").defaultResponsible(4).leadSource("CALL")
                .lineNumber("74951234567").registered(true).build();
        return new CrmLifecycle.Change(key, state, List.of(command), false);
    }

    @Test
    void theEngineStoringCallsWhileTheirRegistersAreAnsweredNeverDeadlocks() throws Exception {
        List<CallKey> calls = IntStream.range(0, CALLS).mapToObj(JournalLockOrderTest::call).toList();
        for (CallKey k : calls) {
            outbox.journal().record(List.of(change(k, new CrmCommand.Register(k, CrmCommand.UserRef.extension("101"),
                    "+79990000001", false, Instant.now(), true, "CALL", "74951234567", true))));
        }
        int failures = 0;
        List<String> errors = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            // the sender settles the registers answered in one batch, in the order the box answered them (here the
            // reverse of the engine's run); the engine stores a run of facts for the same calls
            List<Outbox.Done> answered = outbox.queue().heads(calls).stream()
                    .sorted(Comparator.comparing((OutboxQueue.Entry e) -> e.call().linkedid()).reversed())
                    .map(e -> new Outbox.Done(e, new BoxGateway.Registration("CALL-" + e.call().linkedid(), null)))
                    .toList();
            List<CrmLifecycle.Change> run = calls.stream()
                    .map(k -> change(k, new CrmCommand.Show(k, List.of(CrmCommand.UserRef.extension("102")))))
                    .toList();
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> engine = CompletableFuture.runAsync(() -> {
                await(together);
                outbox.journal().record(run);
            }, threads);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                await(together);
                outbox.doneAll(answered);
            }, threads);
            for (CompletableFuture<Void> f : List.of(engine, sender)) {
                try {
                    f.get(2, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures++;
                    errors.add(String.valueOf(e.getCause().getMessage()));
                }
            }
        }
        assertEquals(0, failures, () -> "transactions refused: " + errors);
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
