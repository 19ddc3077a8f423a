package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One recorded scenario: records the PBX's AMI from before the first call until both instances are idle
 * again (plus a moment for the last CDR), then saves the transcript with a header saying what happened.
 * Saved to {@code b24bridge.record.dir} when set (the committed ones:
 * {@code src/test/resources/ami-transcripts}), else to {@code target/ami-transcripts}.
 */
final class RecordingSession {

    private static final Logger LOG = Logger.getLogger(RecordingSession.class.getName());

    private final AsteriskPair pair;
    private final String file;
    private final String description;
    private final AmiRecorder recorder;
    private final long t0 = System.nanoTime();

    private RecordingSession(AsteriskPair pair, String file, String description) throws IOException {
        this.pair = pair;
        this.file = file;
        this.description = description;
        this.recorder = AmiRecorder.start(pair.pbxAmi());
    }

    static RecordingSession start(AsteriskPair pair, String file, String description) throws IOException, InterruptedException {
        RecordingSession session = new RecordingSession(pair, file, description);
        Thread.sleep(200); // the login's FullyBooted is in before the first call
        return session;
    }

    /** Waits for the calls to end, stops, saves; returns the transcript's messages for assertions. */
    List<AmiMessage> finish(Duration callsEndWithin) throws IOException, InterruptedException {
        pair.awaitIdle(callsEndWithin);
        Thread.sleep(500); // CDRs are posted right after the last hangup
        String text = recorder.stop();
        Path dir = Path.of(System.getProperty("b24bridge.record.dir", "target/ami-transcripts"));
        List<String> header = new ArrayList<>();
        header.add(description);
        header.add("Recorded " + LocalDate.now() + " from a real " + pair.cli("core show version").strip().replaceAll(" built by.*", "")
                + " (Debian sid packages in a chroot; testkit RealAsterisk, base configs: testkit/src/main/resources/asterisk).");
        header.add("PBX AMI user " + pair.pbxAmi().user() + " with the appliance's read classes (call,cdr,dialplan,user,agent,system),"
                + " timestampevents=yes. Carrier endpoint 'trunk'; phones are PJSIP endpoints 101, 102, 103.");
        header.add("Exactly as received (CRLF kept); lines starting with # are notes.");
        AmiRecorder.save(dir.resolve(file), header, text);
        List<AmiMessage> messages = messages(text);
        LOG.info(() -> file + ": " + messages.size() + " messages in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return messages;
    }

    static List<AmiMessage> messages(String text) {
        List<AmiMessage> out = new ArrayList<>();
        for (String block : text.split("\r\n\r\n")) {
            StringBuilder kept = new StringBuilder();
            for (String line : block.split("\r\n")) {
                if (!line.startsWith("#") && !line.startsWith("Asterisk Call Manager/")) {
                    kept.append(line).append("\r\n");
                }
            }
            AmiMessage m = AmiMessage.parse(kept.toString());
            if (m.isEvent()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The transcript has an event of this name with these header values (name, value, name, value…). */
    static AmiMessage expect(List<AmiMessage> events, String event, String... headers) {
        return events.stream()
                .filter(e -> event.equals(e.event()))
                .filter(e -> {
                    for (int i = 0; i < headers.length; i += 2) {
                        String v = e.get(headers[i]);
                        if (v == null || !v.matches(headers[i + 1])) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " with " + String.join(" ", headers)));
    }

    static void expectNone(List<AmiMessage> events, String event) {
        assertTrue(events.stream().noneMatch(e -> event.equals(e.event())), "unexpected " + event);
    }
}
