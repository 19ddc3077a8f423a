package io.b24bridge.pbx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallFact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Master.csv as Asterisk 22's cdr_csv wrote it on the test PBX (loguniqueid, loguserfield, newcdrcolumns). */
class CdrCsvFileTest {

    /** Lines copied from the real PBX's Master.csv: a direct call answered by 101, a ring group answered by 102. */
    static final String DIRECT = "\"\",\"79990000001\",\"101\",\"internal\",\"\"\"\"\" <79990000001>\","
            + "\"PJSIP/trunk-00000000\",\"PJSIP/101-00000002\",\"Dial\",\"PJSIP/101,20,t\",\"2026-12-02 14:24:14\","
            + "\"2026-12-02 14:24:15\",\"2026-12-02 14:24:18\",4,3,\"ANSWERED\",\"DOCUMENTATION\",\"1796221454.0\",\"\","
            + "\"\",\"1796221454.0\",0\n";
    static final String GROUP_NO_ANSWER = "\"\",\"79990000002\",\"200\",\"internal\",\"\"\"\"\" <79990000002>\","
            + "\"PJSIP/trunk-00000001\",\"PJSIP/101-00000003\",\"Dial\",\"PJSIP/101&PJSIP/102,20,t\","
            + "\"2026-12-02 14:24:14\",,\"2026-12-02 14:24:15\",1,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1796221454.1\","
            + "\"\",\"\",\"1796221454.1\",1\n";
    static final String GROUP_ANSWERED = "\"\",\"79990000002\",\"200\",\"internal\",\"\"\"\"\" <79990000002>\","
            + "\"PJSIP/trunk-00000001\",\"PJSIP/102-00000004\",\"Dial\",\"PJSIP/101&PJSIP/102,20,t\","
            + "\"2026-12-02 14:24:14\",\"2026-12-02 14:24:15\",\"2026-12-02 14:24:18\",4,3,\"ANSWERED\",\"DOCUMENTATION\","
            + "\"1796221454.1\",\"\",\"\",\"1796221454.1\",5\n";

    @TempDir
    Path dir;

    @Test
    void aRowIsReadWithItsLinkedidAndTimes() {
        CdrCsvFile.Row row = CdrCsvFile.parse(DIRECT.strip());
        assertEquals("1796221454.0", row.linkedid());
        assertEquals(new CallFact.RecordedLeg("PJSIP/trunk-00000000", "PJSIP/101-00000002",
                Instant.parse("2026-12-02T14:24:14Z"), Instant.parse("2026-12-02T14:24:15Z"),
                Instant.parse("2026-12-02T14:24:18Z"), "ANSWERED", "79990000001", "101", null, null), row.leg());
        assertNull(CdrCsvFile.parse(GROUP_NO_ANSWER.strip()).leg().answer(), "never answered");
        assertNull(CdrCsvFile.parse("garbage"));
        assertNull(CdrCsvFile.parse(""));
    }

    @Test
    void rowsAreReadAsTheFileGrowsAndAHalfWrittenLineWaits() throws Exception {
        Path csv = dir.resolve("Master.csv");
        CdrCsvFile file = file(csv);
        assertEquals(List.of(), file.poll(), "no file yet: nothing recorded");
        Files.writeString(csv, DIRECT + GROUP_NO_ANSWER.substring(0, 40));
        assertEquals(List.of("1796221454.0"), file.poll());
        Files.writeString(csv, GROUP_NO_ANSWER.substring(40) + GROUP_ANSWERED, StandardOpenOption.APPEND);
        assertEquals(List.of("1796221454.1", "1796221454.1"), file.poll());
        assertEquals(2, file.rows("1796221454.1").size());
        assertEquals(List.of(), file.poll(), "nothing new");
    }

    @Test
    void aRotatedFileIsReadFromItsStart() throws Exception {
        Path csv = dir.resolve("Master.csv");
        CdrCsvFile file = file(csv);
        Files.writeString(csv, DIRECT + GROUP_ANSWERED);
        file.poll();
        Files.writeString(csv, GROUP_NO_ANSWER); // logrotate: a new, shorter file
        assertEquals(List.of("1796221454.1"), file.poll());
    }

    @Test
    void theProductsUserfieldGivesTheDidAndTheRecording() {
        String line = DIRECT.replace("\"1796221454.0\",\"\",\"\",\"1796221454.0\"",
                "\"1796221454.0\",\"b24did=74951234567|b24rec=/var/spool/asterisk/monitor/2026/12/02/1796221454.0.wav\","
                        + "\"\",\"1796221454.0\"");
        CallFact.RecordedLeg leg = CdrCsvFile.parse(line.strip()).leg();
        assertEquals("74951234567", leg.did());
        assertEquals("/var/spool/asterisk/monitor/2026/12/02/1796221454.0.wav", leg.recordingFile());
        assertNull(CdrCsvFile.parse(DIRECT.strip()).leg().did(), "an empty userfield tells nothing");
    }

    @Test
    void aLongFileIsReadFromTheCallsOfTheLastDayAtFirst() throws Exception {
        Path csv = dir.resolve("Master.csv");
        StringBuilder text = new StringBuilder();
        // 3 MB of calls two days ago, then a day's worth of 2 MB ending an hour ago, then the call of now
        String old = DIRECT.replace("1796221454.0", "1000.1").replace("2026-12-02", "2026-11-30");
        while (text.length() < 3 * CdrCsvFile.CHUNK) {
            text.append(old);
        }
        String yesterday = DIRECT.replace("1796221454.0", "2000.1").replace("2026-12-02 14:", "2026-12-02 13:");
        while (text.length() < 5 * CdrCsvFile.CHUNK) {
            text.append(yesterday);
        }
        Files.writeString(csv, text + GROUP_ANSWERED, StandardCharsets.UTF_8);
        CdrCsvFile file = new CdrCsvFile(csv, Duration.ofDays(1),
                Clock.fixed(Instant.parse("2026-12-02T15:00:00Z"), ZoneOffset.UTC));
        List<String> got = file.poll();
        assertEquals("1796221454.1", got.getLast());
        assertTrue(file.rows("1000.1").isEmpty(), "the calls of two days ago are not read");
        assertFalse(file.rows("2000.1").isEmpty(), "the last day's are");
        assertEquals(1, file.rows("1796221454.1").size());
        assertEquals(List.of("1796221454.1"), List.copyOf(file.startedSince(Instant.parse("2026-12-02T14:00:00Z")).keySet()));
    }

    private static CdrCsvFile file(Path csv) {
        return new CdrCsvFile(csv, Duration.ofDays(1),
                Clock.fixed(Instant.parse("2026-12-02T15:00:00Z"), ZoneOffset.UTC));
    }
}
