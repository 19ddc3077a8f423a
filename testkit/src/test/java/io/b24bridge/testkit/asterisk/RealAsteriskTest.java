package io.b24bridge.testkit.asterisk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture itself, on a real Asterisk pair: a carrier call reaches phone 101 through the PBX, the
 * appliance's view of it (asterisk-java on the PBX's AMI, least-privilege user) shows the call's channels,
 * dial and hangup, the recording is on disk, and the pair restarts and stops cleanly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealAsteriskTest {

    private static final Logger LOG = Logger.getLogger(RealAsteriskTest.class.getName());

    @RegisterExtension
    static final RealAsterisk ASTERISK = new RealAsterisk();

    @Test
    @Order(1)
    void inboundCallIsSeenOnThePbxAmiAndRecorded(AsteriskPair pair) throws Exception {
        List<ManagerEvent> events = new CopyOnWriteArrayList<>();
        AmiEndpoint ami = pair.pbxAmi();
        ManagerConnection connection = new ManagerConnectionFactory(ami.host(), ami.port(), ami.user(), ami.secret())
                .createManagerConnection();
        connection.addEventListener(events::add);
        connection.login();
        try {
            pair.phone("101", PhoneBehaviour.answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
            long t0 = System.nanoTime();
            WorldCall call = pair.placeInboundCall("4951000101", "79161112233", WorldScript.staysUntilHungUp());
            assertTrue(call.awaitAnswer(Duration.ofSeconds(10)), "the PBX answered through phone 101");
            assertEquals("16", call.awaitEnd(Duration.ofSeconds(20)), "normal clearing when 101 hangs up");
            pair.awaitIdle(Duration.ofSeconds(10));
            LOG.info("one inbound call (1 s ring, 2 s talk) took " + (System.nanoTime() - t0) / 1_000_000 + " ms end to end");
            waitFor(() -> events.stream().anyMatch(CdrEvent.class::isInstance), Duration.ofSeconds(5));
        } finally {
            connection.logoff();
        }

        NewChannelEvent trunk = first(events, NewChannelEvent.class, e -> e.getChannel().startsWith("PJSIP/trunk-"));
        assertEquals("79161112233", trunk.getCallerIdNum());
        assertEquals("4951000101", trunk.getExten());
        assertEquals("from-trunk", trunk.getContext());
        String linkedid = trunk.getLinkedid();
        NewChannelEvent phone = first(events, NewChannelEvent.class, e -> e.getChannel().startsWith("PJSIP/101-"));
        assertEquals(linkedid, phone.getLinkedid(), "the phone's leg belongs to the same call");
        DialBeginEvent dial = first(events, DialBeginEvent.class, e -> linkedid.equals(e.getLinkedId()));
        assertTrue(dial.getDestChannel().startsWith("PJSIP/101-"));
        assertEquals(2, events.stream().filter(HangupEvent.class::isInstance).map(HangupEvent.class::cast)
                .filter(e -> linkedid.equals(e.getLinkedId())).count(), "both legs hung up");
        assertEquals("4951000101", variable(events, "B24_DID"));
        assertEquals("79161112233", variable(events, "B24_NUMBER"));

        String recording = variable(events, "B24_RECORDING");
        assertTrue(recording.matches("/var/spool/asterisk-pbx/monitor/\\d{4}/\\d{2}/\\d{2}/" + linkedid.replace(".", "\\.") + "\\.wav"),
                recording);
        Path onHost = pair.pbxPathOnHost(recording);
        assertTrue(onHost.startsWith(pair.recordingsDir()));
        assertTrue(Files.size(onHost) > 16_000, "about 2 s of 8 kHz audio in " + onHost + ": " + Files.size(onHost));
    }

    @Test
    @Order(2)
    void theInstancesMountsStayOutOfTheHost(AsteriskPair pair) throws Exception {
        assertTrue(pair.healthy());
        assertEquals(List.of(), Mounts.under(pair.settings().root()),
                "/proc and /dev are mounted only inside the instances' own mount namespaces");
        assertTrue(pair.cli("core show version").startsWith("Asterisk 22."), pair.cli("core show version"));
    }

    @Test
    @Order(3)
    void thePbxRestartsMidCall(AsteriskPair pair) throws Exception {
        WorldCall call = pair.placeInboundCall("4951000101", "79161112244", WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(Duration.ofSeconds(10)));
        pair.restartPbx(AsteriskPair.Restart.GRACEFUL);
        assertNotNull(call.awaitEnd(Duration.ofSeconds(10)), "a graceful restart hangs the call up");

        WorldCall second = pair.placeInboundCall("4951000101", "79161112255", WorldScript.staysUntilHungUp());
        assertTrue(second.awaitAnswer(Duration.ofSeconds(10)), "calls go through after the restart");
        pair.restartPbx(AsteriskPair.Restart.CRASH);
        assertFalse(second.isEnded(), "after a crash nobody tells the world the call is gone");
        second.hangup();
        second.awaitEnd(Duration.ofSeconds(10));
        assertTrue(pair.cli("core show channels count").contains("0 active channels"));
    }

    @Test
    @Order(4)
    void stopLeavesNoProcessNoMountNoDirectory(AsteriskPair pair) throws Exception {
        Path root = pair.settings().root();
        List<Long> pids = pair.pids();
        long t0 = System.nanoTime();
        pair.close();
        LOG.info("pair stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).isEmpty(), "process " + pid + " is gone");
        }
        assertEquals(List.of(), StaleProcesses.find(root), "no Asterisk left in the root");
        assertEquals(List.of(), Mounts.under(root), "nothing mounted in the root");
        if (!pair.settings().keep()) {
            assertFalse(Files.exists(root.resolve("etc/asterisk-pbx")), "the per-run directories are removed");
            assertFalse(Files.exists(root.resolve("var/spool/asterisk-pbx")));
        }
        assertTrue(Files.isExecutable(root.resolve("usr/sbin/asterisk")), "the root itself stays");
        assertFalse(pair.healthy());
    }

    private static String variable(List<ManagerEvent> events, String name) {
        return first(events, VarSetEvent.class, e -> name.equals(e.getVariable())).getValue();
    }

    private static <T> T first(List<ManagerEvent> events, Class<T> type, java.util.function.Predicate<T> match) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " as expected among " + events.size() + " events"));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
