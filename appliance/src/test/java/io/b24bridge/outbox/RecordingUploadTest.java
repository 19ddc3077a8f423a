package io.b24bridge.outbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.MockResponse;
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
 * A call's recording on its way to the box: it goes once its file is complete, as it is on disk, through the upload
 * URL the box hands out; a file that never comes, and a box whose web server keeps refusing it (nginx's
 * client_max_body_size: 413), are retried with growing pauses, then reported — never a silent loss, never forever.
 */
class RecordingUploadTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String ON_PBX = "/var/spool/asterisk/monitor/2026/12/02/1795491816.0.wav";

    /** The dispatcher's time, which the test moves: "an hour later" without waiting an hour. */
    private static final class MovableClock extends Clock {
        final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        void advance(Duration d) {
            offset.updateAndGet(o -> o.plus(d));
        }
    }

    @TempDir
    Path dir;
    MockBoxAccess box;
    ScriptedBox script;
    Outbox outbox;
    Dispatcher dispatcher;
    final MovableClock clock = new MovableClock();
    Path file;
    final AtomicReference<byte[]> uploaded = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        script = new ScriptedBox();
        script.on("telephony.externalCall.attachRecord", body -> ScriptedBox.ok("{\"uploadUrl\": "
                + "\"https://crm.corp.local/rest/upload.json?auth=A&token=telephony%7C1\", \"fieldName\": \"file\"}"));
        script.on("upload", body -> {
            uploaded.set(body.getBytes(StandardCharsets.ISO_8859_1));
            return ScriptedBox.ok("{\"FILE_ID\": 77}");
        });
        box = MockBoxAccess.application(dir, script);
        outbox = Outbox.open(box.db(), Json.newMapper());
        dispatcher = new Dispatcher(outbox, box.gateway(),
                Map.of("pbx1", new RecordingsDir(dir.resolve("monitor"), Path.of("/var/spool/asterisk/monitor"))), 8,
                clock, Duration.ofSeconds(2)).start();
        file = dir.resolve("monitor/2026/12/02/1795491816.0.wav");
        Files.createDirectories(file.getParent());
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        box.close();
    }

    private CallKey recordedCall() {
        CallKey k = new CallKey("pbx1", "1795491816.0");
        CallCrmState state = CallCrmState.builder(k, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79161112233").registered(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(k, state, List.of(
                new CrmCommand.Register(k, CrmCommand.UserRef.extension("101"), "+79161112233", false, Instant.now(),
                        true, "CALL", "74951234567", true),
                new CrmCommand.Finish(k, CrmCommand.UserRef.extension("101"), 42, "200", null, true),
                new CrmCommand.AttachRecording(k, ON_PBX)), true)));
        return k;
    }

    private OutboxQueue.Entry attach(CallKey k) {
        return outbox.queue().head(k).orElseThrow();
    }

    private void completeFile(byte[] content) throws Exception {
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void aRecordingStillWrittenIsWaitedForThenSentWholeThroughTheUploadUrl() throws Exception {
        Files.write(file, "RIFF-first-half".getBytes(StandardCharsets.ISO_8859_1));   // MixMonitor still writes
        CallKey k = recordedCall();
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).map(e -> e.kind().equals("ATTACH_RECORD")
                && e.attempts() > 0).orElse(false));
        assertEquals(null, uploaded.get(), "nothing sent while the file grows");
        assertTrue(attach(k).lastError().contains("still being written"), attach(k).lastError());

        Files.write(file, "-second-half".getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND);
        await().atMost(PATIENCE).until(() -> uploaded.get() != null);
        String body = new String(uploaded.get(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("filename=\"1795491816.0.wav\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                + "RIFF-first-half-second-half\r\n--"), body);
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).isEmpty());
    }

    @Test
    void aRecordingTheBoxsWebServerRefusesWaitsForTheFixInsteadOfDyingAsADeadLetter() throws Exception {
        completeFile("RIFF....WAVE".getBytes(StandardCharsets.ISO_8859_1));
        script.on("upload", body -> new MockResponse.Builder().code(413)
                .body("<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>").build());
        CallKey k = recordedCall();
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).map(e -> e.attempts() > 0).orElse(false));

        OutboxQueue.Entry waiting = attach(k);
        assertEquals(OutboxState.PENDING, waiting.state(), "not a dead letter");
        assertTrue(waiting.lastError().contains("client_max_body_size"), waiting.lastError());
        assertTrue(waiting.nextAt().isAfter(clock.instant().plusSeconds(40)), "a long pause: " + waiting.nextAt());
        assertEquals(0, outbox.report().counts().dead());
        assertEquals("HTTP_413", box.client().status().lastRefusal().code(), "the operator's alarm");

        // the box's nginx is fixed; the next try, after the pause, goes through
        script.on("upload", body -> ScriptedBox.ok("{\"FILE_ID\": 78}"));
        clock.advance(Duration.ofMinutes(31));
        dispatcher.wake();
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).isEmpty());
        assertEquals(0, outbox.report().counts().dead());
    }

    @Test
    void aRecordingRefusedForADayIsSetAsideWithTheReason() throws Exception {
        completeFile("RIFF....WAVE".getBytes(StandardCharsets.ISO_8859_1));
        script.on("upload", body -> new MockResponse.Builder().code(413).body("<html>413</html>").build());
        CallKey k = recordedCall();
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).map(e -> e.attempts() > 0).orElse(false));

        clock.advance(Duration.ofHours(25));
        dispatcher.wake();
        await().atMost(PATIENCE).until(() -> outbox.report().counts().dead() == 1);
        assertTrue(attach(k).lastError().contains("refused for 24 h"), attach(k).lastError());
    }

    @Test
    void aRecordingThatNeverAppearsIsReportedAfterAnHour() {
        CallKey k = recordedCall();                       // no file: the mount is broken
        await().atMost(PATIENCE).until(() -> outbox.queue().head(k).map(e -> e.attempts() > 0).orElse(false));
        assertEquals(OutboxState.PENDING, attach(k).state(), "waited for a while");

        clock.advance(Duration.ofMinutes(61));
        dispatcher.wake();
        await().atMost(PATIENCE).until(() -> outbox.report().counts().dead() == 1);
        assertTrue(attach(k).lastError().contains("is not there 60 min after the call"), attach(k).lastError());
        assertEquals(null, uploaded.get());
    }
}
