package io.b24bridge.testkit.pbx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files a PBX writes beside its AMI stream, made from the events the simulator sends so that they agree
 * with them: a recording for every {@code MIXMONITOR_FILENAME} the dialplan sets (a small WAV, complete when
 * the variable is announced), and a Master.csv row for every {@code Cdr} event, in the columns cdr_csv writes
 * with {@code loguniqueid}, {@code loguserfield} and {@code newcdrcolumns} (the test PBX's cdr.conf). A call whose
 * recording has no Cdr event gets rows all the same, from Cdr events synthesized from its dials ({@link DialCdrs}).
 *
 * <p>A replayed Cdr event carries the recording's dates; its row keeps the recorded durations (wait, talk)
 * and ends at the moment it is sent, in UTC ({@code usegmtime = yes}). The AMI Cdr event has no Linkedid: it is
 * taken from the Newchannel of the row's Uniqueid.
 */
final class PbxFiles {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Uniqueids remembered for their Linkedid (a Cdr row follows its channel's end within the call). */
    private static final int KEEP = 200_000;

    private volatile Path recordingsDir;
    private volatile String recordingsPbxDir;
    private volatile byte[] recording;
    private volatile Path masterCsv;
    private final AtomicLong recordings = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final Map<String, String> linkedids = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEEP;
        }
    };

    /**
     * Per Linkedid, what the product's dialplan writes into the CDR userfield (docs/asterisk/b24bridge.conf's taps:
     * {@code b24did=<DID>|b24rec=<recording>}): the recorded calls were captured before the taps wrote it, so a Cdr
     * whose UserField is empty gets it from the call's own B24_DID and MIXMONITOR_FILENAME — plain Asterisk's CDR has
     * no DID column, and the reconciliation of a call never seen takes its DID from there.
     */
    private final Map<String, String[]> taps = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > KEEP;
        }
    };

    /**
     * Writes recordings under {@code hostDir}: a file the dialplan names {@code <pbxDir>/a/b.wav} is written at
     * {@code <hostDir>/a/b.wav}, one named in another folder at {@code <hostDir>/b.wav}, {@code bytes} long.
     */
    void recordings(Path hostDir, String pbxDir, int bytes) {
        this.recording = wav(bytes);
        this.recordingsPbxDir = pbxDir.endsWith("/") ? pbxDir : pbxDir + "/";
        this.recordingsDir = hostDir;
    }

    void masterCsv(Path file) {
        this.masterCsv = file;
    }

    long recordingsWritten() {
        return recordings.get();
    }

    long cdrRowsWritten() {
        return rows.get();
    }

    /** Called for every event before it is sent. */
    void observe(AmiMessage event) {
        String name = event.event();
        if (name == null) {
            return;
        }
        switch (name) {
            case "Newchannel" -> {
                if (masterCsv != null && event.get("Uniqueid") != null && event.get("Linkedid") != null) {
                    synchronized (linkedids) {
                        linkedids.put(event.get("Uniqueid"), event.get("Linkedid"));
                    }
                }
            }
            case "VarSet" -> {
                String variable = event.get("Variable");
                if (recordingsDir != null && "MIXMONITOR_FILENAME".equals(variable)) {
                    writeRecording(event.get("Value"));
                }
                if (masterCsv != null && event.get("Linkedid") != null
                        && ("B24_DID".equals(variable) || "MIXMONITOR_FILENAME".equals(variable))) {
                    synchronized (taps) {
                        String[] tap = taps.computeIfAbsent(event.get("Linkedid"), k -> new String[2]);
                        tap["B24_DID".equals(variable) ? 0 : 1] = event.get("Value");
                    }
                }
            }
            case "Cdr" -> {
                if (masterCsv != null) {
                    writeRow(event);
                }
            }
            default -> {
            }
        }
    }

    private void writeRecording(String pbxPath) {
        if (pbxPath == null || pbxPath.contains("..")) {
            return;
        }
        // a transcript captured on a PBX with another recordings folder (inbound-local-channels-originate names
        // /var/spool/asterisk/monitor): its file by name, where the appliance looks for it (RecordingsDir) — left
        // unwritten, that call's attach waited out its hour in every load run, the outbox never empty at the end
        Path named = Path.of(pbxPath).getFileName();
        if (named == null) {
            return;
        }
        Path file = pbxPath.startsWith(recordingsPbxDir)
                ? recordingsDir.resolve(pbxPath.substring(recordingsPbxDir.length()))
                : recordingsDir.resolve(named.toString());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, recording);
            recordings.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording " + file, e);
        }
    }

    /** The recorded userfield, else what the product's taps write for this call (empty when it set nothing). */
    private String userField(String recorded, String linkedid) {
        if (recorded != null && !recorded.isEmpty()) {
            return recorded;
        }
        String[] tap;
        synchronized (taps) {
            tap = taps.get(linkedid);
        }
        if (tap == null) {
            return "";
        }
        String rec = tap[1] == null ? "" : tap[1];
        return tap[0] != null ? "b24did=" + tap[0] + "|b24rec=" + rec : tap[1] != null ? "b24rec=" + rec : "";
    }

    private void writeRow(AmiMessage cdr) {
        String uniqueid = nz(cdr.get("UniqueID"));
        String linkedid;
        synchronized (linkedids) {
            linkedid = linkedids.getOrDefault(uniqueid, uniqueid);
        }
        Instant recordedStart = time(cdr.get("StartTime"));
        Instant recordedAnswer = time(cdr.get("AnswerTime"));
        Instant recordedEnd = time(cdr.get("EndTime"));
        Instant end = Instant.now();
        Duration shift = recordedEnd == null ? Duration.ZERO : Duration.between(recordedEnd, end);
        List<String> columns = List.of(q(cdr.get("AccountCode")), q(cdr.get("Source")), q(cdr.get("Destination")),
                q(cdr.get("DestinationContext")), q(cdr.get("CallerID")), q(cdr.get("Channel")),
                q(cdr.get("DestinationChannel")), q(cdr.get("LastApplication")), q(cdr.get("LastData")),
                q(format(recordedStart == null ? end : recordedStart.plus(shift))),
                q(recordedAnswer == null ? "" : format(recordedAnswer.plus(shift))), q(format(end)),
                nz(cdr.get("Duration")), nz(cdr.get("BillableSeconds")), q(cdr.get("Disposition")),
                q(cdr.get("AMAFlags")), q(uniqueid), q(userField(cdr.get("UserField"), linkedid)), q(""), q(linkedid),
                String.valueOf(rows.get()));
        String line = String.join(",", columns) + "\n";
        synchronized (this) {
            try {
                Files.writeString(masterCsv, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                rows.incrementAndGet();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + masterCsv, e);
            }
        }
    }

    private static Instant time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(s.strip(), TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String format(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(TIME);
    }

    private static String q(String s) {
        return "\"" + nz(s).replace("\"", "\"\"") + "\"";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A WAV file of {@code bytes} bytes (8 kHz mono 16-bit silence after the 44-byte header). */
    static byte[] wav(int bytes) {
        int size = Math.max(44, bytes);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(size - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(size - 44);
        return b.array();
    }
}
