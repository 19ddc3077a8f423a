package io.b24bridge.outbox;

import java.nio.file.Files;
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

import io.b24bridge.bitrix.MockBoxAccess;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catch-up after the box was away spends the box's rate limit on batches only: each request carries the next
 * command of up to 50 calls, recordings with their file inside, so a box that allows 2 requests a second takes
 * 100 commands a second — single commands would each spend a request (what left a bench's catch-up at a fraction
 * of what the limit allows; recordings alone were 120 requests here). Over real mutual TLS to a scripted box, on a
 * real Derby.
 */
class OutboxCatchUpTest {

    private static final int CALLS = 120;

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
        dispatcher = new Dispatcher(outbox, box.gateway(),
                Map.of("pbx1", new RecordingsDir(dir, Path.of("/var/spool/asterisk/monitor"))), 8, Clock.systemUTC(),
                Duration.ofSeconds(2)).start();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        box.close();
    }

    @Test
    void aBacklogGoesOutInBatchesRecordingsInsideThemInOrderPerCall() throws Exception {
        script.away = true;
        for (int n = 0; n < CALLS; n++) {
            CallKey k = new CallKey("pbx1", n + ".0");
            Path wav = Files.write(dir.resolve(n + ".wav"), ("RIFF" + n).getBytes());
            // MixMonitor closed it a while ago (a file written in the last 2 s is still growing: RecordingFile)
            Files.setLastModifiedTime(wav, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
            CallCrmState state = CallCrmState.builder(k, CallEvent.Direction.INBOUND, Instant.now())
                    .clientNumber("+79161112233").did("74951234567").defaultResponsible(7).leadSource("CALL")
                    .lineNumber("74951234567").registered(true).build();
            outbox.journal().record(List.of(new CrmLifecycle.Change(k, state, List.of(
                    new CrmCommand.Register(k, CrmCommand.UserRef.extension("101"), "+79161112233", false,
                            Instant.parse("2026-11-24T09:00:00Z"), true, "CALL", "74951234567", true),
                    new CrmCommand.Finish(k, CrmCommand.UserRef.extension("101"), 42, "200", null, true),
                    new CrmCommand.AttachRecording(k, "/var/spool/asterisk/monitor/" + n + ".wav")), true)));
        }
        await("the box was tried while away").atMost(Duration.ofSeconds(30))
                .until(() -> script.refusedWhileAway.get() > 0);
        int seenBefore = script.seen.size();
        int batchesBefore = script.batches.size();
        script.away = false;
        dispatcher.boxRecovered();
        await("the outbox drains").atMost(Duration.ofSeconds(30)).until(() -> {
            OutboxReport.Counts c = outbox.report().counts();
            return c.pending() == 0 && c.sending() == 0;
        });

        List<List<String>> batches = script.batches.subList(batchesBefore, script.batches.size());
        List<String> singles = new java.util.ArrayList<>(script.seen.subList(seenBefore, script.seen.size()).stream()
                .map(ScriptedBox.Seen::method).filter(m -> !m.equals("user.get")).toList());
        batches.forEach(b -> b.forEach(singles::remove));
        // some go alone, by design: a register that may have reached the box before it went away (resolved alone),
        // the calls whose workers were under way as the box came back, and the tail — once fewer than BATCH_FROM
        // calls wait, a call's commands go at once, one request each (no one is behind: latency over batching), and
        // how many calls are left in that tail depends on the machine's timing (30-46 requests in all on a quiet
        // machine, 81 once in CI: 9 batches, 24 calls' commands alone). What must hold: most commands rode in
        // batches, not one request each
        long requests = batches.size() + singles.size();
        int batched = batches.stream().mapToInt(List::size).sum();
        System.out.println(requests + " requests for " + 3 * CALLS + " commands: " + batches.size() + " batches ("
                + batched + " commands), " + singles.size() + " single requests");
        assertTrue(batched >= 3 * 3 * CALLS / 4, batched + " of " + 3 * CALLS + " commands in " + batches.size()
                + " batches; " + requests + " requests, singles " + singles);
        assertTrue(batches.stream().anyMatch(b -> b.contains(TelephonyApiNames.ATTACH)), "recordings batched");
        List<ScriptedBox.Seen> after = script.seen.subList(seenBefore, script.seen.size());
        for (int n = 0; n < CALLS; n++) {
            String call = "pbx1:" + n + ".0";
            // a recording sent alone asks with FILENAME alone first (the box may hand out an upload URL): that
            // first step is not a second attach
            List<String> order = after.stream().filter(s -> call.equals(ScriptedBox.param(s.body(), "EXTERNAL_CALL_ID"))
                            || ("CALL-" + call).equals(ScriptedBox.param(s.body(), "CALL_ID")))
                    .filter(s -> !s.method().equals(TelephonyApiNames.ATTACH)
                            || ScriptedBox.param(s.body(), "FILE_CONTENT") != null)
                    .map(ScriptedBox.Seen::method).toList();
            assertEquals(List.of("telephony.externalcall.register", "telephony.externalcall.finish",
                    TelephonyApiNames.ATTACH), order, "call " + call);
        }
        assertEquals(3 * CALLS, outbox.report().counts().done());
    }

    /** The method names as the box saw them. */
    private static final class TelephonyApiNames {
        static final String ATTACH = "telephony.externalCall.attachRecord";
    }
}
