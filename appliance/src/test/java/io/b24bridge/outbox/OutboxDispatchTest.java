package io.b24bridge.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.bitrix.MockBoxAccess;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox against a scripted box over real mutual TLS, with a real Derby: order per call, retries while
 * the box is away, dead letters that hold their call back until retried, and a finish cut off by a crash.
 */
class OutboxDispatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    MockBoxAccess box;
    ScriptedBox script;
    Outbox outbox;
    Dispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        script = new ScriptedBox();
        box = MockBoxAccess.application(dir, script);
        outbox = Outbox.open(box.db(), Json.newMapper());
        startDispatcher();
    }

    private void startDispatcher() {
        dispatcher = new Dispatcher(outbox, box.gateway(),
                Map.of("pbx1", new RecordingsDir(dir, Path.of("/var/spool/asterisk/monitor"))), 8, Clock.systemUTC(),
                Duration.ofSeconds(2)).start();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        box.close();
    }

    private static CallKey call(int n) {
        return new CallKey("pbx1", n + ".0");
    }

    private void record(CallKey key, boolean ended, CrmCommand... commands) {
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161112233").did("74951234567").defaultResponsible(7).leadSource("CALL")
                .lineNumber("74951234567").registered(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(commands), ended)));
    }

    private static CrmCommand.Register register(CallKey key) {
        return new CrmCommand.Register(key, CrmCommand.UserRef.extension("101"), "+79161112233", false,
                Instant.parse("2026-11-24T09:00:00Z"), true, "CALL", "74951234567", true);
    }

    private static CrmCommand.Finish finish(CallKey key) {
        return new CrmCommand.Finish(key, CrmCommand.UserRef.extension("101"), 42, "200", null, true);
    }

    private long sent(String method) {
        return script.methods().stream().filter(method::equals).count();
    }

    private void awaitQuiet() {
        await("the outbox drains").atMost(PATIENCE).until(() -> {
            OutboxReport.Counts c = outbox.report().counts();
            return c.pending() == 0 && c.sending() == 0;
        });
    }

    @Test
    void aCallsCommandsGoOutInOrderWithTheCallIdRegisterReturned() {
        CallKey k = call(1);
        record(k, false, register(k), new CrmCommand.Show(k, List.of(CrmCommand.UserRef.extension("102"))));
        record(k, true, new CrmCommand.Hide(k, List.of(CrmCommand.UserRef.extension("102"))), finish(k));
        awaitQuiet();
        assertEquals(List.of("telephony.externalcall.register", "user.get", "telephony.externalcall.show",
                "telephony.externalcall.hide", "telephony.externalcall.finish"), script.methods());
        String finishBody = script.seen.getLast().body();
        assertEquals("CALL-pbx1:1.0", ScriptedBox.param(finishBody, "CALL_ID"));
        assertEquals("6", ScriptedBox.param(script.seen.get(2).body(), "USER_ID[]"), "102 is user 6");
        assertEquals(4, outbox.report().counts().done(), "user.get is the directory's, not an outbox command");
    }

    @Test
    void whileTheBoxIsAwayCommandsWaitAndThenGoOutOnceInOrder() {
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
    void aCommandTheBoxWillNeverTakeIsSetAsideAndHoldsItsCallUntilRetried() {
        AtomicInteger attempts = new AtomicInteger();
        script.on("telephony.externalcall.register", body -> {
            String call = ScriptedBox.param(body, "EXTERNAL_CALL_ID");
            return call.equals("pbx1:3.0") && attempts.getAndIncrement() == 0
                    ? ScriptedBox.error(400, "ERROR_CORE", "User is not found or is not active")
                    : ScriptedBox.ok("{\"CALL_ID\": \"CALL-" + call + "\"}");
        });
        CallKey k = call(3);
        CallKey other = call(4);
        record(k, true, register(k), finish(k));
        record(other, true, register(other), finish(other));
        // the other call is through, this one's register is a dead letter and its finish waits behind it
        await().atMost(PATIENCE).until(() -> outbox.report().counts().done() == 2
                && outbox.report().deadLetters(10).size() == 1 && outbox.report().counts().pending() == 1);
        assertEquals(1, sent("telephony.externalcall.finish"), "only the other call finished");
        OutboxQueue.Entry dead = outbox.report().deadLetters(10).getFirst();
        assertEquals(k, dead.call());
        assertTrue(dead.lastError().contains("User is not found"), dead.lastError());

        assertTrue(outbox.queue().revive(dead.id()));
        dispatcher.wake();
        awaitQuiet();
        assertEquals(2, sent("telephony.externalcall.finish"));
        assertEquals(0, outbox.report().deadLetters(10).size());
    }

    /** As if the appliance had sent register, then finish, and died before recording the finish's answer. */
    private CallKey finishCutOffByACrash(int n) {
        dispatcher.close();
        CallKey k = call(n);
        record(k, true, register(k), finish(k));
        outbox.done(outbox.queue().head(k).orElseThrow(), new BoxGateway.Registration("CALL-" + n, null));
        outbox.queue().sending(outbox.queue().head(k).orElseThrow());
        return k;
    }

    @Test
    void aFinishCutOffByACrashIsNotSentAsASecondCall() {
        finishCutOffByACrash(5);
        // the text as the REST docs and the emulator give it
        script.on("telephony.externalcall.finish", body -> ScriptedBox.error(400, "ERROR_CORE",
                "Call is not found (call should be registered prior to finishing)"));
        startDispatcher();
        awaitQuiet();
        assertEquals(List.of("telephony.externalcall.finish"), script.methods());
        assertEquals(0, outbox.report().deadLetters(10).size(), "the box had it already: done, not dead");
    }

    @Test
    void theBoxsOwnAnswerToASecondFinishIsRecognisedToo() {
        finishCutOffByACrash(9);
        // as the box's source sends it: a RestException without a code, no closing parenthesis
        script.on("telephony.externalcall.finish", body -> ScriptedBox.error(400, "",
                "Call is not found (call should be registered prior to finishing"));
        startDispatcher();
        awaitQuiet();
        assertEquals(0, outbox.report().deadLetters(10).size(), "the box had it already: done, not dead");
    }

    @Test
    void aFinishNeverSentThatTheBoxDoesNotKnowIsADeadLetter() {
        script.on("telephony.externalcall.finish", body -> ScriptedBox.error(400, "",
                "Call is not found (call should be registered prior to finishing"));
        CallKey k = call(10);
        record(k, true, register(k), finish(k));
        await().atMost(PATIENCE).until(() -> outbox.report().deadLetters(10).size() == 1);
        assertEquals("FINISH", outbox.report().deadLetters(10).getFirst().kind(),
                "not sent before: the box's answer is a real failure, set aside for an operator");
    }

    @Test
    void callsDoNotWaitForEachOther() throws Exception {
        CountDownLatch slowAnswer = new CountDownLatch(1);
        script.on("telephony.externalcall.register", body -> {
            if ("pbx1:6.0".equals(ScriptedBox.param(body, "EXTERNAL_CALL_ID"))) {
                try {
                    slowAnswer.await(PATIENCE.toSeconds(), TimeUnit.SECONDS); // the box takes its time for call 6
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ScriptedBox.ok("{\"CALL_ID\": \"CALL-" + ScriptedBox.param(body, "EXTERNAL_CALL_ID") + "\"}");
        });
        record(call(6), false, register(call(6)));
        await().atMost(PATIENCE).until(() -> sent("telephony.externalcall.register") == 1);
        record(call(7), false, register(call(7)));
        await("call 7 goes out while call 6 waits for its answer").atMost(PATIENCE)
                .until(() -> outbox.journal().bitrixCallId(call(7)).isPresent());
        assertFalse(outbox.journal().bitrixCallId(call(6)).isPresent(), "call 6 is still waiting for the box");
        slowAnswer.countDown();
        awaitQuiet();
        assertTrue(outbox.journal().bitrixCallId(call(6)).isPresent());
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

    /**
     * Review probe P14 (F12): the PBX names the recording, and whoever sets a channel's MixMonitor file names any
     * path; no file outside the recordings folder — here the appliance's OAuth client secret — reaches the CRM.
     */
    @Test
    void aRecordingPathOutOfTheRecordingsFolderUploadsNothing() throws Exception {
        Path secret = Files.writeString(dir.getParent().resolve("client-secret-" + System.nanoTime()), "s3cr3t\n");
        Files.writeString(dir.resolve("client-secret"), "s3cr3t\n");
        Files.createSymbolicLink(dir.resolve("linked.wav"), secret);
        List<String> named = List.of(
                "/var/spool/asterisk/monitor/../../../.." + secret,            // .. out of the folder
                secret.toString(),                                             // absolute, elsewhere
                "/var/spool/asterisk/monitor/client-secret",                   // inside, but no recording
                "/var/spool/asterisk/monitor/linked.wav",                      // a link out of the folder
                "/var/spool/asterisk/monitor/..");
        int n = 30;
        for (String path : named) {
            CallKey k = call(n++);
            record(k, true, register(k), finish(k), new CrmCommand.AttachRecording(k, path));
        }
        awaitQuiet();
        assertEquals(0, sent("telephony.externalcall.attachRecord"), "nothing was uploaded");
        assertEquals(0, outbox.report().counts().dead(), "a refused path is skipped, not a dead letter holding its call");
        assertTrue(script.seen.stream().noneMatch(x -> x.body().contains("czNjcjN0")), "the secret never left");
        Files.delete(secret);
    }

    @Test
    void aBacklogAfterAnOutageGoesOutInBatchesEveryCallOnceInOrder() {
        script.away = true;
        int calls = 60;
        for (int n = 100; n < 100 + calls; n++) {
            CallKey k = call(n);
            record(k, false, register(k));
            record(k, true, finish(k));
        }
        // the box is away: what is tried is refused, everything waits and is retried later
        await().atMost(PATIENCE).until(() -> script.refusedWhileAway.get() >= 2);
        assertEquals(0, outbox.report().counts().done());
        script.away = false;
        dispatcher.boxRecovered(); // as the keep-alive's first answer after the outage makes the box client do
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
        assertEquals(2L * calls, outbox.report().counts().done());
    }
}
