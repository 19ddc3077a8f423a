package io.b24bridge.pbx;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.b24bridge.config.Secret;
import io.b24bridge.health.PartHealth;
import io.b24bridge.testkit.asterisk.AmiEndpoint;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AMI link against a real Asterisk 22 (testkit's {@link RealAsterisk}: a PBX and a "world" of carrier and
 * phones, real PJSIP calls), logged in as the least-privilege user of the harness's manager.conf
 * ({@code read = call,cdr,dialplan,user,agent,system}, {@code write = originate,call,reporting}). Skipped, with
 * the reason on stderr, where the machine cannot run it (not root, no Asterisk root filesystem).
 */
@ExtendWith(RealAsterisk.class)
class AmiRealAsteriskTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DID = "4951000101"; // the PBX's own routes: DID 4951000NNN rings phone NNN
    private static final String CLIENT = "79161112233";

    private AmiConnection connection;

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
    }

    private AmiConnection connect(AsteriskPair pbx, RecordingSink sink) {
        return connect(pbx, sink, pbx.pbxAmi().user());
    }

    private AmiConnection connect(AsteriskPair pbx, RecordingSink sink, String user) {
        AmiEndpoint ami = pbx.pbxAmi();
        AmiSettings s = new AmiSettings("pbx1", ami.host(), ami.port(), user, Secret.of(ami.secret()),
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10), AmiSettings.DEFAULT_QUEUE_CAPACITY);
        connection = new AmiConnection(s, sink);
        connection.start();
        return connection;
    }

    @Test
    void anInboundCallOnARealPbxStreamsItsEvents(AsteriskPair pbx) throws Exception {
        RecordingSink sink = new RecordingSink();
        AmiConnection c = connect(pbx, sink);
        sink.await(WAIT, "connected with the least-privilege user",
                s -> s.count(RecordingSink.Connected.class) == 1);

        WorldCall call = pbx.placeInboundCall(DID, CLIENT, WorldScript.talks(Duration.ofSeconds(1)));
        assertTrue(call.awaitAnswer(WAIT), "phone 101 answered");
        call.awaitEnd(WAIT);
        sink.await(WAIT, "the call's CDR", s -> !s.events(CdrEvent.class).isEmpty()
                && s.events(HangupEvent.class).size() >= 2);

        NewChannelEvent trunk = sink.events(NewChannelEvent.class).stream()
                .filter(e -> e.getChannel().startsWith("PJSIP/trunk-")).findFirst().orElseThrow();
        assertEquals(CLIENT, trunk.getCallerIdNum());
        assertEquals(DID, trunk.getExten());
        String linkedid = trunk.getLinkedid();
        assertTrue(sink.events(DialBeginEvent.class).stream().anyMatch(d -> linkedid.equals(d.getLinkedId())
                && d.getDestChannel().startsWith("PJSIP/101-")), "rang phone 101");
        assertTrue(sink.events(DialEndEvent.class).stream().anyMatch(d -> "ANSWER".equals(d.getDialStatus())));
        assertEquals(2, sink.events(BridgeEnterEvent.class).stream().filter(b -> linkedid.equals(b.getLinkedId()))
                .count(), "the client and the phone in one bridge");
        assertTrue(sink.events(HangupEvent.class).stream().filter(h -> linkedid.equals(h.getLinkedId())).count() >= 2);
        assertTrue(sink.calls().stream().allMatch(k -> k.thread().equals("pbx-pbx1-intake")));
        assertTrue(sink.events().stream().noneMatch(e -> e.getPrivilege() != null
                && e.getPrivilege().startsWith("reporting")), "no RTCP flood: the login's event mask");
        assertEquals(AmiConnection.State.CONNECTED, c.status().state());
        System.out.printf("real PBX: %d events for one inbound call%n", sink.events().size());
    }

    /**
     * Review probe P15's second half (F6c), as a new user would meet it: the AMI user's manager.conf has
     * {@code read = system,cdr}. The link comes up and a real call is placed; no event of it arrives, and /health used
     * to say UP "the AMI link is up" while the call never reached the CRM. Now the pbx part is DOWN and says why.
     */
    @Test
    void aUserWithoutReadCallIsAnErrorInHealth(AsteriskPair pbx) throws Exception {
        RecordingSink sink = new RecordingSink();
        AmiConnection c = connect(pbx, sink, pbx.pbxAmi().user() + "-noread");
        sink.await(WAIT, "connected", s -> s.count(RecordingSink.Connected.class) == 1);
        PbxHealth health = new PbxHealth(List.of(c));

        WorldCall call = pbx.placeInboundCall(DID, CLIENT, WorldScript.talks(Duration.ofSeconds(3)));
        assertTrue(call.awaitAnswer(WAIT), "phone 101 answered");
        await().atMost(WAIT).until(() -> health.check().state() == PartHealth.State.DOWN);
        call.awaitEnd(WAIT);
        assertTrue(health.check().detail().contains("read=call,dialplan"), health.check().detail());
        assertTrue(sink.events(NewChannelEvent.class).isEmpty(), "indeed no call event came");
        assertEquals(AmiConnection.State.CONNECTED, c.status().state(), "the link itself is up");
    }

    @Test
    void aCallInProgressIsInTheSnapshotAndARestartedPbxIsFollowed(AsteriskPair pbx) throws Exception {
        WorldCall call = pbx.placeInboundCall(DID, CLIENT, WorldScript.staysUntilHungUp());
        assertTrue(call.awaitAnswer(WAIT), "phone 101 answered");

        RecordingSink sink = new RecordingSink();
        AmiConnection c = connect(pbx, sink);
        sink.await(WAIT, "connected", s -> s.count(RecordingSink.Connected.class) == 1);
        List<CoreShowChannelEvent> before = sink.all(RecordingSink.Connected.class).getFirst().channels();
        CoreShowChannelEvent trunk = before.stream().filter(ch -> ch.getChannel().startsWith("PJSIP/trunk-"))
                .findFirst().orElseThrow(() -> new AssertionError("the call is not in the snapshot: " + before));
        assertTrue(before.stream().anyMatch(ch -> ch.getChannel().startsWith("PJSIP/101-")
                && trunk.getLinkedid().equals(ch.getLinkedid())), "the answering phone, same Linkedid");

        pbx.restartPbx(AsteriskPair.Restart.GRACEFUL); // mid-call: Asterisk hangs up, says Shutdown, goes away
        sink.await(WAIT, "back after the restart", s -> s.count(RecordingSink.Connected.class) == 2);
        String reason = sink.all(RecordingSink.Disconnected.class).getFirst().reason();
        assertTrue(reason.contains("Asterisk shut down") || reason.contains("closed the connection"), reason);
        List<CoreShowChannelEvent> after = sink.all(RecordingSink.Connected.class).get(1).channels();
        Set<String> linkedAfter = after.stream().map(CoreShowChannelEvent::getLinkedid).collect(Collectors.toSet());
        assertFalse(linkedAfter.contains(trunk.getLinkedid()), "the restart ended the call: not in the new picture");
        assertEquals(1, c.status().reconnects());
        System.out.printf("real PBX restart: link lost (%s), back with %d channels%n", reason, after.size());
    }
}
