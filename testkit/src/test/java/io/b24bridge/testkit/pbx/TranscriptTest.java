package io.b24bridge.testkit.pbx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transcripts load from the jar or any file, and each replayed call gets identities of its own. */
class TranscriptTest {

    @TempDir
    Path dir;

    @Test
    void theBundledRecordingsLoadWithoutTheLoginPart() {
        Transcript ring = Transcript.ringGroupCall();
        assertEquals(109, ring.size(), "110 events minus the login's FullyBooted");
        assertTrue(ring.events().stream().allMatch(e -> e.event() != null));
        assertEquals("Newchannel", ring.events().stream().filter(e -> e.get("Channel") != null).findFirst()
                .orElseThrow().event());
        assertEquals(114, Transcript.localChannelsCall().size());
        assertEquals(ring, Transcript.find("inbound-did-ringgroup-101-answers-102-cancelled"));
    }

    @Test
    void anyFileInTheFormatLoads() throws IOException {
        Path f = dir.resolve("mine.txt");
        Files.writeString(f, """
                # a note
                Asterisk Call Manager/11.0.0
                Response: Success
                Message: Authentication accepted

                Event: Newchannel
                Privilege: call,all
                Channel: PJSIP/201-0000000a
                Uniqueid: 1700000000.10
                Linkedid: 1700000000.10
                AccountCode:\s

                Event: Hangup
                Uniqueid: 1700000000.10
                """.replace("\n", "\r\n"));
        Transcript t = Transcript.find(f.toString());
        assertEquals(2, t.size());
        assertEquals("", t.events().getFirst().get("AccountCode"), "an empty value stays empty");
        assertThrows(IllegalArgumentException.class, () -> Transcript.parse("empty", "Response: Success\r\n\r\n"));
    }

    @Test
    void eachReplayedCallGetsFreshConsistentIdentities() {
        Transcript ring = Transcript.ringGroupCall();
        CallTemplate template = new CallTemplate(ring, Map.of("79161112233", n -> "7999000000" + n), false);
        long[] channels = {0x50};
        long[] epochs = {1_800_000_000L};
        CallTemplate.Call first = template.new Call(() -> epochs[0]++, () -> channels[0]++, 0);
        CallTemplate.Call second = template.new Call(() -> epochs[0]++, () -> channels[0]++, 1);
        List<AmiMessage> a = IntStream.range(0, template.size()).mapToObj(i -> first.event(i, 0)).toList();
        List<AmiMessage> b = IntStream.range(0, template.size()).mapToObj(i -> second.event(i, 0)).toList();

        AmiMessage trunk = a.stream().filter(e -> "Newchannel".equals(e.event())).findFirst().orElseThrow();
        assertEquals("1800000000.0", trunk.get("Uniqueid"));
        assertEquals("PJSIP/trunk-00000050", trunk.get("Channel"));
        assertEquals("79990000000", trunk.get("CallerIDNum"), "the caller of call 0");
        assertEquals("4951234567", trunk.get("Exten"), "numbers not asked for stay");
        assertTrue(a.stream().filter(e -> e.get("Linkedid") != null)
                .allMatch(e -> e.get("Linkedid").equals("1800000000.0")), "one Linkedid for the whole call");
        assertTrue(a.stream().filter(e -> "MIXMONITOR_FILENAME".equals(e.get("Variable"))).findFirst().orElseThrow()
                .get("Value").endsWith("/1800000000.0.wav"), "the recording follows the call's Uniqueid");
        assertTrue(a.stream().noneMatch(e -> e.wire().contains("1795491816.")), "no recorded id is left");
        assertTrue(a.stream().noneMatch(e -> e.wire().contains("/101-00000001")), "no recorded channel name is left");
        assertEquals(ring.events().stream().filter(e -> e.get("SentNTP") != null).map(e -> e.get("SentNTP")).toList(),
                a.stream().filter(e -> e.get("SentNTP") != null).map(e -> e.get("SentNTP")).toList(),
                "timing values are not ids");

        AmiMessage trunk2 = b.stream().filter(e -> "Newchannel".equals(e.event())).findFirst().orElseThrow();
        assertEquals("1800000001.0", trunk2.get("Linkedid"));
        assertEquals("79990000001", trunk2.get("CallerIDNum"));
        String bridgeA = a.stream().filter(e -> "BridgeEnter".equals(e.event())).findFirst().orElseThrow()
                .get("BridgeUniqueid");
        String bridgeB = b.stream().filter(e -> "BridgeEnter".equals(e.event())).findFirst().orElseThrow()
                .get("BridgeUniqueid");
        assertNotEquals(bridgeA, bridgeB, "each call its own bridge");
        assertTrue(a.stream().filter(e -> e.get("BridgeUniqueid") != null)
                .allMatch(e -> e.get("BridgeUniqueid").equals(bridgeA)), "the same bridge throughout a call");
        assertNotEquals(trunk.get("Channel"), trunk2.get("Channel"));
    }

    private static final Pattern UNIQUEID = Pattern.compile("(?<![\\d.])\\d{9,10}\\.\\d{1,9}(?!\\d)");

    /** Every recording in the repository (the bundled ones, and any a test folder adds) replays cleanly. */
    @Test
    void everyRecordedTranscriptReplaysWithIdsOfItsOwnOneToOne() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(Path.of("src/main/resources/ami-transcripts"), Path.of("src/test/resources/ami-transcripts"))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> list = Files.list(folder)) {
                    list.filter(f -> f.toString().endsWith(".txt")).sorted().forEach(files::add);
                }
            }
        }
        assertTrue(files.size() >= 2, "found " + files);
        long[] epochs = {1_900_000_000L};
        long[] channels = {1};
        for (Path f : files) {
            Transcript t = Transcript.load(f);
            CallTemplate template = new CallTemplate(t, Map.of(), false);
            CallTemplate.Call call = template.new Call(() -> epochs[0]++, () -> channels[0]++, 0);
            Map<String, String> ids = new HashMap<>();
            for (int i = 0; i < t.size(); i++) {
                List<AmiMessage.Header> before = t.events().get(i).headers();
                List<AmiMessage.Header> after = call.event(i, 0).headers();
                assertEquals(before.size(), after.size(), f + " event " + i);
                for (int h = 0; h < before.size(); h++) {
                    String name = before.get(h).name().toLowerCase(Locale.ROOT);
                    if (name.equals("timestamp") || name.contains("ntp")) {
                        continue;
                    }
                    Matcher old = UNIQUEID.matcher(before.get(h).value());
                    Matcher now = UNIQUEID.matcher(after.get(h).value());
                    while (old.find()) {
                        assertTrue(now.find(), f + ": " + after.get(h));
                        String previous = ids.putIfAbsent(old.group(), now.group());
                        assertEquals(previous == null ? now.group() : previous, now.group(),
                                f + ": " + old.group() + " is rewritten the same way everywhere");
                    }
                }
            }
            assertEquals(ids.size(), Set.copyOf(ids.values()).size(), f + ": distinct ids stay distinct " + ids);
            assertTrue(ids.values().stream().allMatch(v -> v.startsWith("19")), f + ": all fresh " + ids);
        }
    }

    @Test
    void stampedEventsCarryTheSendTimeAfterPrivilege() {
        CallTemplate template = new CallTemplate(Transcript.ringGroupCall(), Map.of(), true);
        AmiMessage e = template.new Call(() -> 1, () -> 1, 0).event(1, 1_700_000_000_123_456L);
        assertEquals("Timestamp", e.headers().get(2).name());
        assertEquals("1700000000.123456", e.get("Timestamp"));
    }
}
