package io.b24bridge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.certs.DevPki;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.testkit.bitrix.BoxEmulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Outbox outbox = app.appliance().outbox();

        Instant beforeAnyAttempt = Instant.now();
        CallKey call = new CallKey("pbx1", "1700000000.7");
        CrmCommand.UserRef ivan = CrmCommand.UserRef.extension("101");
        CallCrmState state = CallCrmState.builder(call, CallEvent.Direction.INBOUND, Instant.now())
                .clientNumber("+79162000001").did("74951234567").defaultResponsible(4).leadSource("CALL")
                .lineNumber("74951234567").registered(true).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(call, state, List.of(new CrmCommand.Register(call,
                ivan, "+79162000001", false, Instant.now(), true, "CALL", "74951234567", true)), false)));
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.queue().head(call).orElseThrow().attempts() > 0);
        OutboxQueue.Entry waiting = outbox.queue().head(call).orElseThrow();
        assertTrue(waiting.lastError().contains("not installed"), waiting.lastError());
        // the auth pause is 30 s with jitter 0.5-1 from the failed attempt, which came after beforeAnyAttempt: at
        // least 15 s past it (millisecond-truncated, as a stored time may be). Compared with "now + 10 s" instead,
        // a test that took over 5 s to look saw a pause that had begun without it.
        assertFalse(waiting.nextAt().isBefore(beforeAnyAttempt.truncatedTo(ChronoUnit.MILLIS).plusSeconds(15)),
                "an auth failure waits out a long pause: next try at " + waiting.nextAt() + ", first after "
                        + beforeAnyAttempt);

        app.armInstall();
        assertTrue(emu.install(app.publicUri("/bitrix24/events")).delivery().get(10, TimeUnit.SECONDS).delivered());
        await("registered before the auth pause is over").atMost(Duration.between(Instant.now(), waiting.nextAt()))
                .until(() -> emu.state().calls().stream().anyMatch(c -> "pbx1:1700000000.7".equals(c.externalCallId())));
        assertEquals(1, emu.state().calls().size(), "registered once");
    }
}
