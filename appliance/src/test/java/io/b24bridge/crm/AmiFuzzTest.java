package io.b24bridge.crm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asteriskjava.manager.event.ManagerEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.pbx.AmiTranscript;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.ChannelsSnapshot;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AMI decoder fuzzed: the calls recorded from Asterisk 22, mutated as a broken PBX, a proxy or line noise would
 * (a field's value garbled, too long, not UTF-8, with control characters, not a number; a field missing; an event cut
 * short), parsed as a live link parses them (asterisk-java's own builder), through the product's decoder, call model
 * and lifecycle into the real journal (Derby). Nothing may throw out of the intake's path, the journal must take every
 * run (one it refuses is retried for ever, every later event of the PBX held behind it; one it refuses as data is set
 * aside, a call's changes lost), and what is stored
 * for the CRM carries no control character and nothing longer than Asterisk makes. The seed is printed; run again
 * with {@code -Dfuzz.seed=N -Dfuzz.mutants=M}.
 */
class AmiFuzzTest {

    private static final Path TRANSCRIPTS = Path.of("../testkit/src/main/resources/ami-transcripts");
    /** The fields of the events the model reads: where a garbled value can reach the model and the journal. */
    private static final List<String> FIELDS = List.of("Uniqueid", "Linkedid", "Channel", "CallerIDNum",
            "CallerIDName", "Context", "Exten", "ChannelState", "Timestamp", "DestUniqueid", "DestLinkedid",
            "DestChannel", "DialString", "DialStatus", "BridgeUniqueid", "Cause", "Variable", "Value",
            "TransfererUniqueid", "TransfereeUniqueid", "TransferTargetUniqueid", "TargetUniqueid");
    private static final List<String> GARBLED = List.of("", " ", "x".repeat(5_000), "7".repeat(300), "-1", "NaN",
            "1e309", "-4.2e12", "\u0000\u0007\u001b[2J", "\u00c3\u0028", "\ufffd\ufffd", "'; DROP TABLE OUTBOX; --",
            "${SHELL(rm -rf /)}", "+7 (916) 111-22-33", "\u0661\u0662\u0663", "\u00ff\u00fe" + "\u044f".repeat(3_000),
            "99999999999999999999", "PJSIP/101-0000\u0000", "1733130000.7 ", "Local/s@caller;1\u0085");

    @TempDir
    Path dir;
    Database db;
    CallEngine engine;
    List<CrmLifecycle.Change> stored;
    final ObjectMapper json = Json.newMapper();

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        Outbox outbox = Outbox.open(db, json);
        RecordingJournal journal = new RecordingJournal(outbox.journal());
        stored = journal.stored;
        // the engine waits out a database that refuses; here a refusal is the finding, so the first wait fails
        engine = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                AmiFuzzTest::settings, pause -> {
                    throw new Refused(engine.refusal().map(CallEngine.Refusal::lastError).orElse("a refused run"));
                });
    }

    @AfterEach
    void stop() {
        db.close();
    }

    /** Thrown from the engine's wait: the journal refused a run. An Error, so nothing on the way catches it. */
    static final class Refused extends AssertionError {
        Refused(String why) {
            super("the journal refused a run: " + why);
        }
    }

    static Settings settings() {
        SettingsJson sj = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, sj.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Website", "leadSource": "WEB", "defaultResponsibleUserId": 7}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }

    @Test
    void aLinkedidLongerThanAsteriskMakesIsSkippedNotAKeyTheJournalRefuses() throws IOException {
        // before: the journal's CALL_KEY column refused the run, and the engine held it (and every later event of the
        // PBX) for ever, retrying
        String call = recorded("inbound-answered-by-101.txt")
                .replaceAll("(?m)^(Linkedid|Uniqueid|DestLinkedid|DestUniqueid): .*$", "$1: " + "7".repeat(5_000));
        feed("pbx1", call);
        assertTrue(stored.isEmpty(), "nothing stored of a call whose ids no Asterisk makes: " + stored);
        assertEquals(0, engine.setAside(), "kept out by the decoder, not refused by the database");

        feed("pbx1", recorded("inbound-answered-by-101.txt"));
        assertTrue(commands("pbx1").stream().anyMatch(CrmCommand.Finish.class::isInstance),
                "the PBX's next call reaches the CRM: " + commands("pbx1"));
    }

    @Test
    void aCallersNumberWithControlCharactersOrBeyondAsterisksBoundIsCleanedOrTakenAsUnknown() throws IOException {
        feed("pbx1", recorded("inbound-answered-by-101.txt").replaceAll("(?m): 79161112233$",
                ": 7916111\u00002233\u0007")); // wherever the PBX says it: caller ID, the dialplan's B24_NUMBER
        CrmCommand.Register register = register("pbx1");
        assertEquals("+79161112233", register.clientNumber(), "control characters removed, the number kept");

        feed("pbx2", recorded("inbound-answered-by-101.txt").replaceAll("(?m): 79161112233$",
                ": " + "7".repeat(300)));
        assertNull(register("pbx2").clientNumber(), "300 digits is no caller's number: an unknown caller");
    }

    @Test
    void aGarbledTimestampIsTheTimeTheEventCameNotNineteenSeventy() throws IOException {
        feed("pbx1", recorded("inbound-answered-by-101.txt").replaceAll("(?m)^Timestamp: .*$", "Timestamp: NaN"));
        CrmCommand.Register register = register("pbx1");
        assertTrue(register.startedAt().getEpochSecond() > 1_700_000_000L, "started at " + register.startedAt());
    }

    @Test
    void mutatedRecordedCallsNeverStopTheIntakeNorStoreGarbage() throws IOException {
        List<Path> transcripts;
        try (Stream<Path> s = Files.list(TRANSCRIPTS)) {
            transcripts = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        long seed = Long.getLong("fuzz.seed", 20261203L); // the build's: fixed, so a red build is this code's
        int mutants = Integer.getInteger("fuzz.mutants", 25);
        System.out.println("AmiFuzzTest seed " + seed + " (-Dfuzz.seed=" + seed + "), " + mutants + " mutants a call");
        Random random = new Random(seed);
        int cases = 0;
        List<String> findings = new ArrayList<>();
        for (Path t : transcripts) {
            String text = Files.readString(t);
            for (int m = 0; m < mutants; m++) {
                String pbx = "f" + cases++;
                String what = t.getFileName() + " mutant " + m + " (seed " + seed + ")";
                int before = stored.size();
                long setAside = engine.setAside();
                try {
                    feed(pbx, mutate(text, random), random);
                } catch (RuntimeException | AssertionError e) {
                    findings.add(what + ": " + e);
                    continue;
                }
                if (engine.setAside() > setAside) {
                    findings.add(what + ": the database refused a call's changes as data (set aside)");
                }
                for (CrmLifecycle.Change c : stored.subList(before, stored.size())) {
                    String bad = garbage(json.valueToTree(c.commands()));
                    if (bad != null) {
                        findings.add(what + ": stored for the CRM " + bad);
                    }
                }
            }
        }
        assertTrue(cases >= 16 * mutants, "every recorded call mutated: " + cases);
        assertTrue(findings.isEmpty(), findings.size() + " of " + cases + " mutants:\n"
                + String.join("\n", findings.stream().limit(20).map(f -> f.substring(0, Math.min(500, f.length())))
                .toList()));

        // and the engine takes a whole call after all of it
        feed("after", recorded("inbound-answered-by-101.txt"));
        assertInstanceOf(CrmCommand.Register.class, commands("after").getFirst());
    }

    private void feed(String pbx, String transcript) {
        feed(pbx, transcript, new Random(1));
    }

    /** As a link delivers them: the snapshot of an idle PBX, then the events in runs of 1 to 8. */
    private void feed(String pbx, String transcript, Random random) {
        List<ManagerEvent> events = AmiTranscript.parse(transcript).managerEvents();
        try (CallSpineSink sink = new CallSpineSink(engine, CallSpineSink.LinkSeen.none())) {
            sink.onConnected(pbx, ChannelsSnapshot.of(List.of()));
            for (int i = 0; i < events.size(); ) {
                int n = 1 + random.nextInt(8);
                sink.onEvents(pbx, events.subList(i, Math.min(events.size(), i + n)));
                i += n;
            }
        }
    }

    private List<CrmCommand> commands(String pbx) {
        return stored.stream().filter(c -> c.call().pbx().equals(pbx)).flatMap(c -> c.commands().stream()).toList();
    }

    private CrmCommand.Register register(String pbx) {
        return commands(pbx).stream().filter(CrmCommand.Register.class::isInstance).map(CrmCommand.Register.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no register of " + pbx + ": " + commands(pbx)));
    }

    private static String recorded(String name) throws IOException {
        return Files.readString(TRANSCRIPTS.resolve(name));
    }

    /** A text stored for the CRM that no PBX could have meant: a control character, or longer than a path. */
    static String garbage(JsonNode n) {
        if (n.isTextual()) {
            String s = n.asText();
            if (s.length() > 4096 || s.chars().anyMatch(Character::isISOControl)) {
                return "'" + s.substring(0, Math.min(60, s.length())).replaceAll("\\p{Cntrl}", "?") + "…' ("
                        + s.length() + " characters)";
            }
            return null;
        }
        for (JsonNode child : n) {
            String bad = garbage(child);
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    /**
     * One to three mutations: a field garbled in every event that has it or in one event, a field dropped from an
     * event, an event cut short after any of its lines.
     */
    static String mutate(String text, Random random) {
        List<String> blocks = new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n\n", -1)));
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
            String field = FIELDS.get(random.nextInt(FIELDS.size()));
            String value = GARBLED.get(random.nextInt(GARBLED.size()));
            int kind = random.nextInt(4);
            int only = random.nextInt(blocks.size());
            for (int b = 0; b < blocks.size(); b++) {
                List<String> lines = new ArrayList<>(List.of(blocks.get(b).split("\n", -1)));
                if (kind == 0) { // everywhere
                    lines.replaceAll(l -> l.startsWith(field + ": ") ? field + ": " + value : l);
                } else if (b != only) {
                    continue;
                } else if (kind == 1) { // one event
                    lines.replaceAll(l -> l.startsWith(field + ": ") ? field + ": " + value : l);
                } else if (kind == 2 && lines.size() > 1) { // a field dropped
                    lines.remove(1 + random.nextInt(lines.size() - 1));
                } else { // cut short
                    lines = lines.subList(0, 1 + random.nextInt(lines.size()));
                }
                blocks.set(b, String.join("\n", lines));
            }
        }
        return String.join("\n\n", blocks);
    }
}
