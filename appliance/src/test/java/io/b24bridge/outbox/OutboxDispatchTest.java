package io.b24bridge.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox against a scripted box over real mutual TLS, with a real Derby: order per call, retries while
 * the box is away, dead letters that hold their call back until retried, and a finish cut off by a crash.
 */
class OutboxDispatchTest {

    @TempDir
    Path dir;
    MockBoxAccess box;
    ScriptedBox script;
    OutboxStore store;
    Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        script = new ScriptedBox();
        box = MockBoxAccess.application(dir, script);
        store = new OutboxStore(box.db(), Json.newMapper());
        startDispatcher();
    }

    private void startDispatcher() {
        TelephonyApi telephony = new TelephonyApi(box.client());
        dispatcher = new Dispatcher(store, new CommandExecutor(telephony,
                new UserDirectory(new CrmApi(box.client()), Clock.systemUTC()), Map.of("pbx1", new CommandExecutor.RecordingsDir(dir, Path.of("/var/spool/asterisk/monitor")))), box.client(), 8,
                Clock.systemUTC());
        store.afterRecord(dispatcher::wake);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        dispatcher.stop(Duration.ofSeconds(2));
        box.close();
    }

    private static CallKey call(int n) {
        return new CallKey("pbx1", n + ".0");
    }

    private static CallCrmState state(CallKey key) {
        return new CallCrmState(key, CallEvent.Direction.INBOUND, Instant.now(), "+79161112233", "74951234567", null,
                false, 7, true, "CALL", "74951234567", null, true, List.of(), null, null, null, null, false);
    }

    private void record(CallKey key, boolean ended, CrmCommand... commands) {
        store.record(List.of(new CrmLifecycle.Change(key, state(key), List.of(commands), ended)));
    }

    private static CrmCommand.Register register(CallKey key) {
        return new CrmCommand.Register(key, CrmCommand.UserRef.extension("101"), "+79161112233", false,
                Instant.parse("2026-11-24T09:00:00Z"), true, "CALL", "74951234567", true);
    }

    private static CrmCommand.Finish finish(CallKey key) {
        return new CrmCommand.Finish(key, CrmCommand.UserRef.extension("101"), 42, "200", null, true);
    }

    private void awaitSent(String method, int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            if (script.methods().stream().filter(method::equals).count() >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not sent: " + count + " × " + method + "; seen " + script.methods());
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
        throw new AssertionError("the outbox did not drain: " + store.counts());
    }

    @Test
    void aCallsCommandsGoOutInOrderWithTheCallIdRegisterReturned() throws Exception {
        CallKey k = call(1);
        record(k, false, register(k), new CrmCommand.Show(k, List.of(CrmCommand.UserRef.extension("102"))));
        record(k, true, new CrmCommand.Hide(k, List.of(CrmCommand.UserRef.extension("102"))), finish(k));
        awaitQuiet();
        assertEquals(List.of("telephony.externalcall.register", "user.get", "telephony.externalcall.show",
                "telephony.externalcall.hide", "telephony.externalcall.finish"), script.methods());
        String finishBody = script.seen.getLast().body();
        assertEquals("CALL-pbx1:1.0", ScriptedBox.param(finishBody, "CALL_ID"));
        assertEquals("6", ScriptedBox.param(script.seen.get(2).body(), "USER_ID[]"), "102 is user 6");
        assertEquals(4, store.counts().done(), "user.get is the directory's, not an outbox command");
    }

    @Test
    void whileTheBoxIsAwayCommandsWaitAndThenGoOutOnceInOrder() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        script.on("telephony.externalcall.register", body -> refusals.getAndIncrement() < 3
                ? ScriptedBox.error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
                : ScriptedBox.ok("{\"CALL_ID\": \"CALL-" + ScriptedBox.param(body, "EXTERNAL_CALL_ID") + "\"}"));
        CallKey k = call(2);
        record(k, true, register(k), finish(k));
        awaitQuiet();
        assertEquals(List.of("telephony.externalcall.register", "telephony.externalcall.register",
                "telephony.externalcall.register", "telephony.externalcall.register",
                "telephony.externalcall.finish"), script.methods(), "finish waited for its register");
        assertTrue(dispatcher.stats().failures() >= 3);
    }

    @Test
    void aCommandTheBoxWillNeverTakeIsSetAsideAndHoldsItsCallUntilRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        script.on("telephony.externalcall.register", body -> attempts.getAndIncrement() == 0
                ? ScriptedBox.error(400, "ERROR_CORE", "User is not found or is not active")
                : ScriptedBox.ok("{\"CALL_ID\": \"CALL-3\"}"));
        CallKey k = call(3);
        CallKey other = call(4);
        record(k, true, register(k), finish(k));
        record(other, true, register(other), finish(other));
        awaitSent("telephony.externalcall.finish", 1);
        Thread.sleep(300);
        assertEquals(1, store.deadLetters(10).size());
        assertEquals(1, script.methods().stream().filter("telephony.externalcall.finish"::equals).count(),
                "only the other call finished; this one waits behind its dead register");
        OutboxStore.Entry dead = store.deadLetters(10).getFirst();
        assertTrue(dead.lastError().contains("User is not found"), dead.lastError());

        assertTrue(store.revive(dead.id()));
        dispatcher.wake();
        awaitSent("telephony.externalcall.finish", 2);
        awaitQuiet();
        assertEquals(0, store.deadLetters(10).size());
    }

    @Test
    void aFinishCutOffByACrashIsNotSentAsASecondCall() throws Exception {
        dispatcher.stop(Duration.ofSeconds(1));
        CallKey k = call(5);
        record(k, true, register(k), finish(k));
        // as if the appliance had sent register, then finish, and died before recording the finish's answer
        OutboxStore.Entry reg = store.head(k).orElseThrow();
        store.done(reg, "CALL-5");
        store.sending(store.head(k).orElseThrow());
        script.on("telephony.externalcall.finish", body -> ScriptedBox.error(400, "ERROR_CORE",
                "Call is not found (call should be registered prior to finishing)"));

        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("telephony.externalcall.finish"), script.methods());
        assertEquals(0, store.deadLetters(10).size(), "the box had it already: done, not dead");
    }

    @Test
    void callsDoNotWaitForEachOther() throws Exception {
        script.on("telephony.externalcall.register", body -> {
            if ("pbx1:6.0".equals(ScriptedBox.param(body, "EXTERNAL_CALL_ID"))) {
                try {
                    Thread.sleep(1500); // a slow answer for one call
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ScriptedBox.ok("{\"CALL_ID\": \"CALL-" + ScriptedBox.param(body, "EXTERNAL_CALL_ID") + "\"}");
        });
        record(call(6), false, register(call(6)));
        Thread.sleep(50);
        long t0 = System.nanoTime();
        record(call(7), false, register(call(7)));
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (store.bitrixCallId(call(7)).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(store.bitrixCallId(call(7)).isPresent(), "call 7 went out while call 6 was slow");
        assertTrue(System.nanoTime() - t0 < Duration.ofMillis(1000).toNanos());
    }

    @Test
    void theRecordingIsReadFromWhereTheApplianceSeesThePbxsFiles() throws Exception {
        Files.write(dir.resolve("1795491816.0.wav"), new byte[] {'R', 'I', 'F', 'F', 0, 0});
        CallKey k = call(8);
        record(k, true, register(k), finish(k),
                new CrmCommand.AttachRecording(k, "/var/spool/asterisk/monitor/1795491816.0.wav"));
        awaitQuiet();
        String attach = script.seen.getLast().body();
        assertEquals("1795491816.0.wav", ScriptedBox.param(attach, "FILENAME"));
        assertEquals("UklGRgAA", ScriptedBox.param(attach, "FILE_CONTENT"));
    }

    @Test
    void aBacklogAfterAnOutageGoesOutInBatchesEveryCallOnceInOrder() throws Exception {
        script.away = true;
        int calls = 60;
        for (int n = 100; n < 100 + calls; n++) {
            CallKey k = call(n);
            record(k, false, register(k));
            record(k, true, finish(k));
        }
        Thread.sleep(1500); // the box is away: everything waits and is retried later
        assertEquals(0, store.counts().done());
        script.away = false;
        awaitQuiet();

        assertTrue(!script.batches.isEmpty(), "the backlog went out in batches");
        for (int n = 100; n < 100 + calls; n++) {
            String ext = "pbx1:" + n + ".0";
            List<String> forCall = script.seen.stream()
                    .filter(s -> ext.equals(ScriptedBox.param(s.body(), "EXTERNAL_CALL_ID"))
                            || ("CALL-" + ext).equals(ScriptedBox.param(s.body(), "CALL_ID")))
                    .map(ScriptedBox.Seen::method).toList();
            assertEquals(List.of("telephony.externalcall.register", "telephony.externalcall.finish"), forCall, ext);
        }
        assertEquals(2L * calls, store.counts().done());
    }
}
