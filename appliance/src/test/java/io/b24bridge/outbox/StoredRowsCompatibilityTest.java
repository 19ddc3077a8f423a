package io.b24bridge.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Settings;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upgrade reads what the previous version stored: the CRM_CALLS and OUTBOX rows version 0.1 (commit 50bdbbf)
 * wrote (test resources {@code stored-rows/v0.1-50bdbbf}, never edited) are read by this version to the same
 * meaning, written back unchanged but for their version, and the calls they left open carry on.
 */
class StoredRowsCompatibilityTest {

    private static final String FIXTURES = "/stored-rows/v0.1-50bdbbf/";
    private static final ObjectMapper MAPPER = Json.newMapper();

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;

    @BeforeEach
    void storeTheOldRows() throws Exception {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CRM_CALLS (CALL_KEY, STATE, NEXT_SEQ, ENDED, "
                    + "CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                for (JsonNode row : fixture("crm-calls.json")) {
                    String key = row.get("callKey").asText();
                    ps.setString(1, key);
                    ps.setString(2, row.get("state").asText());
                    ps.setInt(3, (int) commands().stream().filter(r -> r.get("callKey").asText().equals(key)).count());
                    ps.setInt(4, row.get("ended").asInt());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO OUTBOX (ID, CALL_KEY, SEQ, KIND, PAYLOAD, "
                    + "STATE, ATTEMPTS, NEXT_AT, CREATED_AT) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, CURRENT_TIMESTAMP, "
                    + "CURRENT_TIMESTAMP)")) {
                long id = 1;
                for (JsonNode row : commands()) {
                    ps.setLong(1, id++);
                    ps.setString(2, row.get("callKey").asText());
                    ps.setInt(3, row.get("seq").asInt());
                    ps.setString(4, row.get("kind").asText());
                    ps.setString(5, row.get("payload").asText());
                    ps.executeUpdate();
                }
            }
        }
        outbox = Outbox.open(db, Json.newMapper());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<JsonNode> fixture(String name) throws IOException {
        try (InputStream in = StoredRowsCompatibilityTest.class.getResourceAsStream(FIXTURES + name)) {
            List<JsonNode> rows = new ArrayList<>();
            MAPPER.readTree(in).forEach(rows::add);
            return rows;
        }
    }

    private static List<JsonNode> commands() throws IOException {
        return fixture("outbox.json");
    }

    /** The stored text without its version: what a previous version would have written. */
    private static JsonNode unversioned(String json) throws IOException {
        ObjectNode node = (ObjectNode) MAPPER.readTree(json);
        node.remove("v");
        return node;
    }

    @Test
    void everyOpenCallIsReadBackAndWrittenAsItWasStored() throws Exception {
        Map<String, JsonNode> stored = fixture("crm-calls.json").stream().filter(r -> r.get("ended").asInt() == 0)
                .collect(Collectors.toMap(r -> r.get("callKey").asText(), r -> r.get("state")));
        List<CallCrmState> open = outbox.journal().openCalls();
        assertEquals(stored.keySet(), open.stream().map(s -> s.call().externalCallId()).collect(Collectors.toSet()));
        for (CallCrmState s : open) {
            String now = new StoredJson(MAPPER).write(StoredCallState.of(s));
            assertEquals(MAPPER.readTree(stored.get(s.call().externalCallId()).asText()), unversioned(now),
                    "nothing lost or changed in " + s.call());
            assertEquals(StoredCallState.VERSION, MAPPER.readTree(now).get("v").asInt());
        }
    }

    @Test
    void theOldStatesMeanWhatTheyMeant() {
        Map<String, CallCrmState> open = outbox.journal().openCalls().stream()
                .collect(Collectors.toMap(s -> s.call().linkedid(), Function.identity()));

        CallCrmState held = open.get("1764579600.12");
        assertEquals(CallEvent.Direction.INBOUND, held.direction());
        assertEquals(7, held.responsible(), "routing's responsible");
        assertEquals("103", held.operator());
        assertEquals(List.of("103"), held.shownTo());
        assertEquals(CallEvent.Outcome.ANSWERED, held.heldTalk().outcome(), "STATUS_CODE 200 read as answered");
        assertEquals(37, held.heldTalk().talkSeconds());
        assertEquals(Instant.parse("2026-12-01T09:00:55Z"), held.holdUntil());

        CallCrmState office = open.get("1764579600.16");
        assertEquals(InboundRoutes.ShowCardTo.RESPONSIBLE, office.showCardTo());
        assertTrue(!office.crmCreate() && office.registered());

        CallCrmState outgoing = open.get("1764579600.14");
        assertEquals(new CallKey("pbx2", "1764579600.14"), outgoing.call());
        assertEquals(CallEvent.Direction.OUTBOUND, outgoing.direction());
        assertEquals("105", outgoing.extension());

        assertTrue(open.get("1764579600.15").ignored(), "the internal call stays none of the CRM's business");
        assertTrue(open.get("1764579600.13").finished() && open.get("1764579600.13").vote() == 5);
    }

    @Test
    void everyQueuedCommandIsReadBackAndWrittenAsItWasStored() throws Exception {
        List<JsonNode> rows = commands();
        int read = 0;
        for (JsonNode row : rows) {
            CallKey call = CallKey.parse(row.get("callKey").asText());
            OutboxQueue.Entry e = outbox.queue().head(call).orElseThrow();
            assertEquals(row.get("seq").asInt(), e.seq(), "in order within " + call);
            assertEquals(row.get("kind").asText(), e.kind());
            assertEquals(row.get("kind").asText(), StoredCommand.kind(e.command()));
            String now = new StoredJson(MAPPER).write(StoredCommand.of(e.command()));
            assertEquals(MAPPER.readTree(row.get("payload").asText()), unversioned(now), "nothing lost in " + e);
            outbox.done(e, null);
            read++;
        }
        assertEquals(22, read);
        assertEquals(22, outbox.report().counts().done());
    }

    @Test
    void theOldCommandsMeanWhatTheyMeant() {
        CallKey rated = new CallKey("pbx1", "1764579600.19");
        List<CrmCommand> commands = drain(rated);
        assertEquals(new CrmCommand.Finish(rated, CrmCommand.UserRef.extension("101"), 18, "200", 4, true),
                commands.getLast(), "the finish carries the VOTE");

        CallKey office = new CallKey("pbx1", "1764579600.16");
        CrmCommand.Register register = (CrmCommand.Register) drain(office).getFirst();
        assertEquals(CrmCommand.UserRef.user(3), register.user(), "the route's responsible, by user id");
        assertTrue(!register.crmCreate() && register.show() && !register.outgoing());

        CallKey late = new CallKey("pbx1", "1764579600.13");
        assertEquals(new CrmCommand.RatingComment(late, 5, CrmCommand.UserRef.extension("101"),
                Instant.parse("2026-12-01T09:00:50Z")), drain(late).getLast());
    }

    private List<CrmCommand> drain(CallKey call) {
        List<CrmCommand> out = new ArrayList<>();
        for (var e = outbox.queue().head(call); e.isPresent(); e = outbox.queue().head(call)) {
            out.add(e.get().command());
            outbox.done(e.get(), null);
        }
        return out;
    }

    @Test
    void aCallLeftWaitingForItsRatingCarriesOnAfterTheUpgrade() {
        CrmLifecycle lifecycle = new CrmLifecycle();
        lifecycle.restore(outbox.journal().openCalls());
        CallKey held = new CallKey("pbx1", "1764579600.12");
        List<CrmLifecycle.Change> changes = lifecycle.apply(List.of(
                new CallEvent.Rated(held, Instant.parse("2026-12-01T09:00:45Z"), 4)), Settings.defaults());
        assertEquals(List.of(new CrmCommand.Finish(held, CrmCommand.UserRef.extension("103"), 37, "200", 4, true)),
                changes.getFirst().commands(), "the held talk's finish goes with the rating, as 0.1 would have sent it");
    }
}
