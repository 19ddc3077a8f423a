package io.b24bridge.testkit.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator speaks AMI well enough for asterisk-java — the client the appliance uses — and for a plain
 * socket, and its failure controls do what they say.
 */
class PbxSimulatorTest {

    private PbxSimulator sim;
    private final List<ManagerConnection> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        sim = PbxSimulator.start("b24bridge", "s3cret");
    }

    @AfterEach
    void stop() {
        for (ManagerConnection c : clients) {
            if (c.getState() == ManagerConnectionState.CONNECTED || c.getState() == ManagerConnectionState.RECONNECTING) {
                c.logoff();
            }
        }
        sim.close();
    }

    private ManagerConnection client(String secret) {
        DefaultManagerConnection c = new DefaultManagerConnection("127.0.0.1", sim.port(), "b24bridge", secret);
        c.setDefaultResponseTimeout(2000);
        clients.add(c);
        return c;
    }

    @Test
    void theAnnouncedVersionIsTheOneAsteriskJavaSees() throws Exception {
        sim.close();
        PbxSimulator.Options o = PbxSimulator.Options.of("b24bridge", "s3cret");
        sim = PbxSimulator.start(new PbxSimulator.Options(o.host(), 0, o.username(), o.secret(), "9.0.0", "20.5.0",
                o.epochBase()));
        ManagerConnection c = client("s3cret");
        c.login("call");
        assertEquals("Asterisk Call Manager/9.0.0", c.getProtocolIdentifier());
        assertEquals(AsteriskVersion.ASTERISK_20, c.getVersion());
    }

    @Test
    void asteriskJavaLogsInWithTheMd5ChallengeAndGetsTheReplayInOrder() throws Exception {
        ManagerConnection c = client("s3cret");
        List<ManagerEvent> events = new CopyOnWriteArrayList<>();
        c.addEventListener(events::add);
        c.login("call,dialplan,cdr");
        assertEquals(1, sim.actions("Challenge"), "asterisk-java logs in with the MD5 challenge");
        assertEquals("Asterisk Call Manager/11.0.0", c.getProtocolIdentifier(), "the banner's AMI version");
        assertEquals(AsteriskVersion.ASTERISK_22, c.getVersion(), "CoreSettings' 22.10.1, as asterisk-java reads it");
        assertTrue(sim.awaitSessions(1, Duration.ofSeconds(30)));

        Replay replay = sim.replay(Transcript.ringGroupCall(), 3, 0);
        assertTrue(replay.await(Duration.ofSeconds(30)));
        List<String> linkedids = replay.linkedids();
        assertEquals(3, linkedids.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.stream().filter(HangupEvent.class::isInstance).count() < 9 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<NewChannelEvent> news = events.stream().filter(NewChannelEvent.class::isInstance)
                .map(NewChannelEvent.class::cast).toList();
        assertEquals(9, news.size(), "three calls of three channels");
        assertEquals(linkedids, news.stream().map(NewChannelEvent::getLinkedid).distinct().toList(),
                "calls arrive one after the other at full speed, each with its own Linkedid");
        assertTrue(events.stream().noneMatch(e -> e.getPrivilege() != null && e.getPrivilege().startsWith("reporting")),
                "the event mask of the login is honoured (no TestEvent, no RTCP)");
        assertEquals(0, sim.activeChannels(), "complete calls leave no channel behind");
    }

    @Test
    void coreShowChannelsListsWhatAHalfReplayedCallLeftUp() throws Exception {
        Replay replay = sim.replay(Transcript.ringGroupCall(), ReplayOptions.of(1, 0).firstEvents(60));
        assertTrue(replay.await(Duration.ofSeconds(30)));
        ManagerConnection c = client("s3cret");
        c.login();
        ResponseEvents answer = c.sendEventGeneratingAction(new CoreShowChannelsAction(), 3000);
        List<CoreShowChannelEvent> channels = new ArrayList<>();
        for (ResponseEvent e : answer.getEvents()) {
            if (e instanceof CoreShowChannelEvent ch) {
                channels.add(ch);
            }
        }
        assertEquals(sim.activeChannels(), channels.size());
        assertTrue(channels.size() >= 2, "the trunk and a phone are up: " + channels.size());
        String linkedid = replay.linkedids().getFirst();
        assertTrue(channels.stream().allMatch(ch -> linkedid.equals(ch.getLinkedid())));
        assertTrue(channels.stream().anyMatch(ch -> ch.getChannel().startsWith("PJSIP/trunk-")));
    }

    @Test
    void anOriginateIsQueuedThenAnswered() throws Exception {
        ManagerConnection c = client("s3cret");
        c.login();
        OriginateAction o = new OriginateAction();
        o.setChannel("PJSIP/101");
        o.setContext("from-internal");
        o.setExten("79161112233");
        o.setPriority(1);
        o.setAsync(true);
        o.setChannelId("1800000000.77");
        ResponseEvents answer = c.sendEventGeneratingAction(o, 3000);
        assertEquals("Success", answer.getResponse().getResponse());
        OriginateResponseEvent r = (OriginateResponseEvent) answer.getEvents().stream()
                .filter(OriginateResponseEvent.class::isInstance).findFirst().orElseThrow();
        assertEquals(4, r.getReason());
        assertEquals("1800000000.77", r.getUniqueId());

        sim.originateOutcome(5);
        ResponseEvents busy = c.sendEventGeneratingAction(o, 3000);
        OriginateResponseEvent b = (OriginateResponseEvent) busy.getEvents().stream()
                .filter(OriginateResponseEvent.class::isInstance).findFirst().orElseThrow();
        assertEquals("Failure", b.getResponse());
        assertEquals(5, b.getReason());
    }

    @Test
    void refusedLoginsAreAuthenticationFailures() {
        ManagerConnection wrong = client("nope");
        assertThrows(AuthenticationFailedException.class, wrong::login);
        sim.refuseLogins(true);
        ManagerConnection right = client("s3cret");
        assertThrows(AuthenticationFailedException.class, right::login);
        assertEquals(2, sim.failedLogins());
    }

    @Test
    void aDeniedActionAnswersPermissionDenied() throws Exception {
        sim.denyAction("CoreShowChannels");
        ManagerConnection c = client("s3cret");
        c.login();
        ManagerResponse r = c.sendAction(new CoreShowChannelsAction(), 2000);
        assertEquals("Error", r.getResponse());
        assertEquals("Permission denied", r.getMessage());
    }

    @Test
    void theWireLooksLikeAsterisks() throws IOException {
        try (Socket s = new Socket("127.0.0.1", sim.port())) {
            s.setSoTimeout(2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertEquals("Asterisk Call Manager/11.0.0", in.readLine());
            out.write("Action: Ping\r\nActionID: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of("Response: Error", "ActionID: 1", "Message: Authentication Required"), block(in));
            out.write("Action: Login\r\nUsername: b24bridge\r\nSecret: s3cret\r\nEvents: off\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of("Response: Success", "Message: Authentication accepted"), block(in));
            out.write("Action: Ping\r\nActionID: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> pong = block(in);
            assertEquals("Ping: Pong", pong.get(2));
            out.write("Action: Frobnicate\r\nActionID: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of("Response: Error", "ActionID: 3", "Message: Invalid/unknown command"), block(in));
            out.write("Action: Logoff\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("Response: Goodbye", block(in).getFirst());
            assertEquals(null, in.readLine(), "closed after Logoff");
        }
    }

    private static List<String> block(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void aSilentPbxAnswersNothingAndDroppedConnectionsAreClosed() throws Exception {
        ManagerConnection c = client("s3cret");
        c.login();
        sim.silent(true);
        assertThrows(org.asteriskjava.manager.TimeoutException.class, () -> c.sendAction(new PingAction(), 300));
        sim.silent(false);
        assertEquals("Success", c.sendAction(new PingAction(), 2000).getResponse());

        try (Socket s = new Socket("127.0.0.1", sim.port())) {
            s.setSoTimeout(2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("Asterisk Call Manager/11.0.0", in.readLine());
            sim.dropConnections();
            assertEquals(null, in.readLine(), "the simulator hung up");
        }
        sim.acceptConnections(false);
        try (Socket s = new Socket("127.0.0.1", sim.port())) {
            s.setSoTimeout(2000);
            assertEquals(-1, s.getInputStream().read(), "refused at once while 'down'");
        }
    }

    @Test
    void theMainParsesItsOptions() {
        PbxSimulatorMain.Args a = PbxSimulatorMain.Args.parse(new String[] {"--port", "0", "--replay",
                "inbound-local-channels-originate", "--rate", "50", "--times", "10", "--spread", "2s"});
        assertEquals(0, a.port);
        assertEquals(50.0, a.rate);
        assertEquals(10, a.times);
        assertEquals(Duration.ofSeconds(2), a.spread);
        PbxSimulatorMain.Args load = PbxSimulatorMain.Args.parse(new String[] {"--replay", "call-centre",
                "--recorded-pace", "--unique-callers", "--max-in-progress", "300", "--garbage-every", "1000",
                "--drop-every", "5s", "--slow-actions", "200ms", "--write-timeout", "100ms", "--master-csv", "M.csv"});
        assertTrue(load.recordedPace && load.uniqueCallers);
        assertEquals(300, load.maxInProgress);
        assertEquals(1000, load.garbageEvery);
        assertEquals(Duration.ofSeconds(5), load.dropEvery);
        assertEquals(Duration.ofMillis(200), load.slowActions);
        assertEquals(Duration.ofMillis(100), load.writeTimeout);
        assertEquals("M.csv", load.masterCsv);
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> PbxSimulatorMain.Args.parse(new String[] {"--bogus", "1"})));
    }
}
