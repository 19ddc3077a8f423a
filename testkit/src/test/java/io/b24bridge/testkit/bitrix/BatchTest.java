package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §1 batch: up to 50 commands, {@code $result[key][FIELD]} references, {@code halt}, the nested answer. */
class BatchTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir, b -> b.webhook(2, "batchhook", Set.of()));
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void fresh() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", null));
        box.emu.addContact("Anna", "M", 2, null, "+79035550002");
    }

    private TestBox.Answer batch(int halt, Map<String, String> cmd) {
        return box.call("batch", params("halt", halt, "cmd", cmd));
    }

    @Test
    void aLaterCommandUsesAnEarlierResultAndTheAnswerIsNested() {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("reg", "telephony.externalcall.register?USER_ID=2&PHONE_NUMBER=%2B79035550002&TYPE=2");
        cmd.put("fin", "telephony.externalcall.finish?CALL_ID=$result[reg][CALL_ID]&USER_ID=2&DURATION=30");
        cmd.put("acts", "crm.activity.list?filter[ORIGIN_ID]=VI_$result[reg][CALL_ID]");

        TestBox.Answer a = batch(0, cmd);

        assertEquals(200, a.status(), a.toString());
        JsonNode r = a.result();
        String callId = r.path("result").path("reg").path("CALL_ID").asText();
        assertEquals(callId, r.path("result").path("fin").path("CALL_ID").asText());
        assertEquals(1, r.path("result").path("acts").size());
        assertEquals(1, r.path("result_total").path("acts").asInt());
        assertTrue(r.path("result_error").isArray() && r.path("result_error").isEmpty(), "PHP's empty array: []");
        assertTrue(r.path("result_next").isArray());
        assertTrue(r.path("result_time").path("reg").has("duration"));
        assertTrue(box.emu.state().call(callId).orElseThrow().finished());
    }

    @Test
    void withoutHaltTheCommandsAfterAnErrorStillRun() {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("bad", "telephony.externalcall.finish?CALL_ID=externalCall.nope.1&USER_ID=2");
        cmd.put("good", "crm.lead.add?fields[TITLE]=after%20the%20error");

        JsonNode r = batch(0, cmd).result();

        assertEquals("", r.path("result_error").path("bad").path("error").asText());
        assertTrue(r.path("result_error").path("bad").path("error_description").asText().startsWith("Call is not found"));
        int lead = r.path("result").path("good").asInt();
        assertEquals("after the error", box.emu.state().lead(lead).orElseThrow().field("TITLE"));
    }

    @Test
    void withHaltTheBatchStopsAtTheFirstError() {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("one", "crm.lead.add?fields[TITLE]=first");
        cmd.put("bad", "crm.lead.get?id=999");
        cmd.put("never", "crm.lead.add?fields[TITLE]=never");

        JsonNode r = batch(1, cmd).result();

        assertEquals(1, r.path("result").size());
        assertTrue(r.path("result_error").has("bad"));
        assertFalse(r.path("result_error").has("never"));
        assertEquals(1, box.emu.state().leads().size());
    }

    @Test
    void rest_provider_php_267_pastFiftyCommandsEachFurtherOneFailsInsideA200() {
        Map<String, String> cmd = new LinkedHashMap<>();
        for (int i = 0; i < 52; i++) {
            cmd.put("c" + i, "crm.lead.add?fields[TITLE]=x" + i);
        }
        TestBox.Answer a = batch(0, cmd);

        assertEquals(200, a.status(), "no single error for the whole batch (docs batch.md)");
        JsonNode r = a.result();
        assertEquals(50, r.path("result").size());
        assertEquals(List.of("c50", "c51"), List.copyOf(iterable(r.path("result_error").fieldNames())));
        assertEquals("ERROR_BATCH_LENGTH_EXCEEDED", r.path("result_error").path("c50").path("error").asText());
        assertEquals("Max batch length exceeded", r.path("result_error").path("c51").path("error_description").asText());
        assertEquals(50, box.emu.state().leads().size());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void eachCommandIsCheckedLikeARequestUnderTheBatchsAuth() {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("reg", "telephony.externalcall.register?USER_ID=2&PHONE_NUMBER=%2B79035550002&TYPE=2");
        cmd.put("bind", "event.bind?event=ONEXTERNALCALLSTART&handler=https://a.example/e");
        cmd.put("users", "user.get?FILTER[UF_PHONE_INNER]=101");
        cmd.put("nested", "batch?cmd[x]=user.get");
        cmd.put("upload", "upload?token=x");

        TestBox.Answer a = box.webhook(2, "batchhook", "batch", params("cmd", cmd));

        JsonNode r = a.result();
        assertTrue(r.path("result").path("reg").path("CALL_ID").asText().startsWith("externalCall."), a.toString());
        assertEquals("WRONG_AUTH_TYPE", r.path("result_error").path("bind").path("error").asText(), a.toString());
        assertEquals("2", r.path("result").path("users").get(0).path("ID").asText());
        assertEquals("ERROR_BATCH_METHOD_NOT_ALLOWED", r.path("result_error").path("nested").path("error").asText());
        assertEquals("ERROR_BATCH_METHOD_NOT_ALLOWED", r.path("result_error").path("upload").path("error").asText());
        assertEquals(1, box.emu.state().calls().size());
    }

    @Test
    void referencesReachIntoListResultsByIndex() {
        Map<String, String> cmd = new LinkedHashMap<>();
        cmd.put("u", "user.get?ID=2");
        cmd.put("lead", "crm.lead.add?fields[TITLE]=for%20$result[u][0][NAME]&fields[ASSIGNED_BY_ID]=$result[u][0][ID]");

        JsonNode r = batch(1, cmd).result();

        CrmEntity lead = box.emu.state().lead(r.path("result").path("lead").asInt()).orElseThrow();
        assertEquals("for Ivan", lead.field("TITLE"));
        assertEquals("2", lead.field("ASSIGNED_BY_ID"));
    }
}
