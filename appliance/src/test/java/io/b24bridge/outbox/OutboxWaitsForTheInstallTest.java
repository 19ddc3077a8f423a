package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.calls.CallCrmState;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CrmCommand;
import io.b24bridge.calls.CrmLifecycle;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh installation: calls come in before the administrator installs the local application on the box.
 * Their commands fail for want of tokens and sit out an auth pause (30 s, doubling up to 5 min); the install
 * event must send them at once, not after the pause.
 */
class OutboxWaitsForTheInstallTest {

    @TempDir
    Path dir;
    BoxEmulator emu;
    TestAppliance app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emu != null) {
            emu.stop();
        }
    }

    @Test
    void aCallMadeBeforeTheApplicationIsInstalledReachesTheBoxAsSoonAsItIs() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("appliance").resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).build().start();
        app = TestAppliance.start(dir.resolve("appliance"), EmulatedBox.applicationSection(emu));
        OutboxStore outbox = app.appliance().outbox();

        CallKey call = new CallKey("pbx1", "1700000000.7");
        CrmCommand.UserRef ivan = CrmCommand.UserRef.extension("101");
        CallCrmState state = new CallCrmState(call, CallEvent.Direction.INBOUND, Instant.now(), "+79162000001",
                "74951234567", null, false, 4, true, "CALL", "74951234567", null, true, List.of(), null, null, null,
                null, false);
        outbox.record(List.of(new CrmLifecycle.Change(call, state, List.of(new CrmCommand.Register(call, ivan,
                "+79162000001", false, Instant.now(), true, "CALL", "74951234567", true)), false)));
        waitUntil(() -> outbox.head(call).orElseThrow().attempts() > 0, Duration.ofSeconds(10));
        OutboxStore.Entry waiting = outbox.head(call).orElseThrow();
        assertTrue(waiting.lastError().contains("not installed"), waiting.lastError());
        assertTrue(waiting.nextAt().isAfter(Instant.now().plusSeconds(10)), "an auth failure waits out a long pause");

        assertTrue(emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS).delivered());
        Instant installed = Instant.now();
        waitUntil(() -> emu.state().calls().stream().anyMatch(c -> "pbx1:1700000000.7".equals(c.externalCallId())),
                Duration.ofSeconds(8));
        assertTrue(Duration.between(installed, Instant.now()).toSeconds() < 8);
        assertEquals(1, emu.state().calls().size(), "registered once");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
