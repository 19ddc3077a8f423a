package io.b24bridge.testkit.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator as a load source: a mix of recorded calls in its proportions, each call with its own client
 * number; the recording's pace; the files a PBX writes beside its events; and its faults — a client that does
 * not read is dropped as Asterisk drops it while the PBX goes on, garbage between whole events, drops, slow
 * answers.
 */
class PbxSimulatorLoadTest {

    @TempDir
    Path dir;
    private PbxSimulator sim;

    @BeforeEach
    void start() {
        sim = PbxSimulator.start("b24bridge", "s3cret");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** A plain-socket client logged in with every event class. */
    private Socket login() throws IOException, InterruptedException {
        Socket s = new Socket("127.0.0.1", sim.port());
        s.setSoTimeout(5000);
        s.getOutputStream().write("Action: Login\r\nUsername: b24bridge\r\nSecret: s3cret\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(sim.awaitSessions(1, Duration.ofSeconds(30)));
        return s;
    }

    @Test
    void aMixPlacesItsKindsInTheirProportionsEachCallWithItsOwnNumber() throws Exception {
        Mix mix = Mix.callCentre();
        Map<Integer, Set<String>> callers = new ConcurrentHashMap<>();
        Replay replay = sim.replay(mix, ReplayOptions.of(200, 0)
                .replacing(Mix.RECORDED_CLIENT, n -> "7999" + String.format("%07d", n))
                .onSent((call, event, at) -> {
                    if (event.get("CallerIDNum") != null && event.get("CallerIDNum").startsWith("7999")) {
                        callers.computeIfAbsent(call, k -> ConcurrentHashMap.newKeySet()).add(event.get("CallerIDNum"));
                    }
                }));
        assertTrue(replay.await(Duration.ofSeconds(30)));

        List<Replay.Placed> placed = replay.placed();
        assertEquals(200, placed.size());
        assertEquals(200, placed.stream().map(Replay.Placed::linkedid).distinct().count(), "a Linkedid per call");
        Map<String, Long> byKind = placed.stream().collect(Collectors.groupingBy(Replay.Placed::transcript,
                Collectors.counting()));
        for (Mix.Entry e : mix.entries()) {
            assertEquals(2L * e.weight(), byKind.get(e.transcript().name()), e.transcript().name()
                    + ": twice its weight in 200 calls");
        }
        for (int n = 0; n < 200; n++) {
            assertEquals(Set.of("7999" + String.format("%07d", n)), callers.get(n), "call " + n + "'s client");
        }
    }

    @Test
    void atTheRecordedPaceEventsAreAtLeastAsFarApartAsAsteriskSentThem() throws Exception {
        Transcript t = Transcript.find("inbound-answered-by-101");
        double first = Double.parseDouble(t.events().getFirst().get("Timestamp"));
        double last = Double.parseDouble(t.events().getLast().get("Timestamp"));
        List<Long> sent = new CopyOnWriteArrayList<>();
        Replay replay = sim.replay(t, ReplayOptions.of(1, 1).atRecordedPace().onSent((c, e, at) -> sent.add(at)));
        assertTrue(replay.await(Duration.ofSeconds(60)));
        assertEquals(t.size(), sent.size());
        long recordedMicros = Math.round((last - first) * 1e6);
        assertTrue(recordedMicros > 4_000_000, "the recording rings and talks for seconds: " + recordedMicros);
        // both sides are whole µs derived from nanoseconds, so each may round the other way by one
        assertTrue(sent.getLast() - sent.getFirst() >= recordedMicros - 1,
                "replayed over " + (sent.getLast() - sent.getFirst()) + " µs, recorded over " + recordedMicros);
    }

    @Test
    void recordingsAndMasterCsvRowsAgreeWithTheEventsSent() throws Exception {
        Path recordings = dir.resolve("monitor");
        Path masterCsv = dir.resolve("Master.csv");
        sim.recordings(recordings, "/var/spool/asterisk-pbx/monitor", 4000).masterCsv(masterCsv);
        List<String> files = new CopyOnWriteArrayList<>();
        Replay replay = sim.replay(Transcript.ringGroupCall(), ReplayOptions.of(3, 0).onSent((c, e, at) -> {
            if ("MIXMONITOR_FILENAME".equals(e.get("Variable"))) {
                files.add(e.get("Value"));
            }
        }));
        assertTrue(replay.await(Duration.ofSeconds(10)));

        assertEquals(3, files.size(), "one recording a call");
        for (String f : files) {
            Path onHost = recordings.resolve(f.substring("/var/spool/asterisk-pbx/monitor/".length()));
            assertEquals(4000, Files.size(onHost), f);
            assertEquals("RIFF", new String(Files.readAllBytes(onHost), 0, 4, StandardCharsets.US_ASCII));
        }
        List<String> rows = Files.readAllLines(masterCsv);
        assertEquals(sim.cdrRowsWritten(), rows.size());
        Set<String> linkedids = Set.copyOf(replay.linkedids());
        for (String row : rows) {
            List<String> columns = csv(row);
            assertEquals(21, columns.size(), "cdr_csv's columns with loguniqueid, loguserfield, newcdrcolumns: " + row);
            assertTrue(linkedids.contains(columns.get(19)), "the row's Linkedid is a replayed call's: " + row);
        }
        assertEquals(linkedids, rows.stream().map(r -> csv(r).get(19)).collect(Collectors.toSet()),
                "every call has its rows");
    }

    @Test
    void aRecordingNamedInAnotherPbxsFolderIsWrittenByItsFileNameWhereTheApplianceLooksForIt() throws Exception {
        // the originate was captured on a PBX recording to /var/spool/asterisk/monitor, not the rig's folder: its
        // calls' attaches found no file and waited out their hour at the end of every load run
        Path recordings = dir.resolve("monitor");
        sim.recordings(recordings, "/var/spool/asterisk-pbx/monitor", 100);
        List<String> files = new CopyOnWriteArrayList<>();
        Replay replay = sim.replay(Transcript.localChannelsCall(), ReplayOptions.of(2, 0).onSent((c, e, at) -> {
            if ("MIXMONITOR_FILENAME".equals(e.get("Variable"))) {
                files.add(e.get("Value"));
            }
        }));
        assertTrue(replay.await(Duration.ofSeconds(10)));

        assertEquals(2, files.size(), "one recording a call: " + files);
        for (String f : files) {
            assertTrue(f.startsWith("/var/spool/asterisk/monitor/"), f);
            Path onHost = recordings.resolve(Path.of(f).getFileName().toString());
            assertEquals(100, Files.size(onHost), f);
        }
        assertEquals(2, sim.recordingsWritten());
    }

    @Test
    void anOriginateRecordedWithoutCdrEventsGetsTheRowsOfItsDialsAsCdrCsvWritesThem() throws Exception {
        Path masterCsv = dir.resolve("Master.csv");
        sim.recordings(dir.resolve("monitor"), "/var/spool/asterisk-pbx/monitor", 100).masterCsv(masterCsv);
        List<String> cdrEventsSent = new CopyOnWriteArrayList<>();
        Replay replay = sim.replay(Transcript.localChannelsCall(), ReplayOptions.of(2, 0)
                .replacing(Mix.RECORDED_CLIENT, n -> "7999000000" + n).onSent((c, e, at) -> {
                    if ("Cdr".equals(e.event())) {
                        cdrEventsSent.add(e.toString());
                    }
                }));
        assertTrue(replay.await(Duration.ofSeconds(10)));

        assertEquals(List.of(), cdrEventsSent, "made for the Master.csv, not sent: the recording has none");
        List<List<String>> rows = Files.readAllLines(masterCsv).stream().map(PbxSimulatorLoadTest::csv).toList();
        assertEquals(4, rows.size(), "two dials a call (101 answers, 102 is cancelled): " + rows);
        for (int n = 0; n < 2; n++) {
            String linkedid = replay.linkedids().get(n);
            List<List<String>> call = rows.stream().filter(r -> r.get(19).equals(linkedid)).toList();
            assertEquals(2, call.size(), "the rows of call " + n + ": " + rows);
            for (List<String> row : call) {
                // party A: the originate's channel, which ran from-trunk's dialplan with the client's caller ID
                assertTrue(row.get(5).startsWith("Local/s@caller-") && row.get(5).endsWith(";1"), row.toString());
                assertEquals("7999000000" + n, row.get(1), "src: the client");
                assertEquals("4951234567", row.get(2), "dst: the DID the originate entered at");
                assertEquals("from-trunk", row.get(3));
                assertTrue(row.get(17).startsWith("b24rec=/var/spool/asterisk/monitor/"), "the tap: " + row);
            }
            List<String> answered = call.stream().filter(r -> r.get(6).startsWith("Local/101@phones-")).findFirst()
                    .orElseThrow();
            assertEquals("ANSWERED", answered.get(14));
            assertTrue(!answered.get(10).isEmpty(), "answered at a time: " + answered);
            List<String> cancelled = call.stream().filter(r -> r.get(6).startsWith("Local/102@phones-")).findFirst()
                    .orElseThrow();
            assertEquals("NO ANSWER", cancelled.get(14));
            assertEquals("", cancelled.get(10));
        }
    }

    @Test
    void aCallThePbxCrashedInGetsNoRowAsNoneOfItsChannelsHungUp() throws Exception {
        Path masterCsv = dir.resolve("Master.csv");
        sim.masterCsv(masterCsv);
        Replay replay = sim.replay(Transcript.find("inbound-pbx-crashed-mid-call"), ReplayOptions.of(1, 0));
        assertTrue(replay.await(Duration.ofSeconds(10)));
        assertEquals(0, sim.cdrRowsWritten());
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndThePbxDoesNotWaitForIt() throws Exception {
        sim.faults().writeTimeout(Duration.ofMillis(200));
        try (Socket stuck = login()) {
            stuck.setReceiveBufferSize(4096);
            // never read: the socket buffers fill, the write sticks, Asterisk gives up on the session
            Replay replay = sim.replay(Transcript.ringGroupCall(), ReplayOptions.of(2000, 0));
            assertTrue(replay.await(Duration.ofSeconds(60)), "the replay ran at its own pace");
            awaitTrue(() -> sim.faults().slowClientsDropped() == 1, "the slow client dropped");
            awaitTrue(() -> sim.sessions() == 0, "its session gone");
        }
    }

    @Test
    void garbageGoesBetweenEventsWhichStayWhole() throws Exception {
        try (Socket s = login()) {
            List<String> blocks = new CopyOnWriteArrayList<>();
            List<String> sent = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> readBlocks(s, blocks));
            Replay replay = sim.replay(Transcript.ringGroupCall(), ReplayOptions.of(5, 0).garbageEvery(7)
                    .onSent((c, e, at) -> {
                        String wire = e.wire().replace("\r\n", "\n");
                        sent.add(wire.substring(0, wire.length() - 1)); // as read: without the empty line
                    }));
            assertTrue(replay.await(Duration.ofSeconds(10)));
            awaitTrue(() -> blocks.size() >= sent.size() + sim.faults().garbageSent(), "everything read");
            Map<String, Long> received = blocks.stream().collect(Collectors.groupingBy(b -> b, Collectors.counting()));
            Map<String, Long> expected = sent.stream().collect(Collectors.groupingBy(b -> b, Collectors.counting()));
            expected.forEach((block, n) -> assertTrue(received.getOrDefault(block, 0L) >= n,
                    "every event arrives whole: " + block));
            assertEquals(sent.size() / 7, sim.faults().garbageSent());
            s.close();
            reader.join(2000);
        }
    }

    @Test
    void dropEveryDropsTheClientsUntilStopped() throws Exception {
        try (Socket s = login(); AutoCloseable drops = sim.faults().dropEvery(Duration.ofMillis(100))) {
            awaitTrue(() -> sim.faults().drops() >= 1, "a drop");
            assertEquals(-1, readUntilClosed(s.getInputStream()), "the client was hung up on");
        }
        long after = sim.faults().drops();
        try (Socket s = login()) {
            Thread.sleep(300);
            assertEquals(after, sim.faults().drops(), "no drop once stopped");
            assertEquals(1, sim.sessions());
        }
    }

    @Test
    void aSlowPbxAnswersItsActionsLate() throws Exception {
        sim.faults().slowActions(Duration.ofMillis(300));
        try (Socket s = login()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            while (!in.readLine().startsWith("Message: Authentication accepted")) {
                // the banner and the login answer
            }
            long t0 = System.nanoTime();
            s.getOutputStream().write("Action: Ping\r\nActionID: p\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while (!(line = in.readLine()).startsWith("Ping:")) {
                assertNotNull(line);
            }
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos(), "answered after the delay");
        }
    }

    private static int readUntilClosed(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) > 0) {
            // what was queued before the drop
        }
        return r;
    }

    private static void readBlocks(Socket s, List<String> blocks) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder block = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!block.isEmpty()) {
                        blocks.add(block.toString());
                    }
                    block.setLength(0);
                } else {
                    block.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cur.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
