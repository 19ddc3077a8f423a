package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

/**
 * finish's answer and the card methods as box 26.250 does them: {@code Helper::finishExternalCall}
 * (voximplant/lib/rest/helper.php:400-660), {@code CVoxImplantCrmHelper::AddCall} (vi_crm_helper.php:409-640),
 * {@code showExternalCall}/{@code hideExternalCall} (helper.php:668-740); yuliai/bitrix-modules@a3a2a579.
 */
class CallEndTest {

    @TempDir
    static Path dir;
    static TestBox box;

    @BeforeAll
    static void start() {
        box = TestBox.start(dir);
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @BeforeEach
    void freshBox() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(User.of(2, "Ivan", "101", "+79161110101"));
        box.emu.addUser(User.of(3, "Maria", "102", "+79161110102"));
    }

    @Test
    void helper_php_465_callStatusComesFromTheDurationNotTheStatusCode() {
        String talked = box.register(2, "+79990002001");
        String declared = box.register(2, "+79990002002");

        assertEquals(1, box.finish(talked, 2, 7, "STATUS_CODE", "486").result().path("CALL_STATUS").asInt());
        assertEquals(0, box.finish(declared, 2, 0, "STATUS_CODE", "200").result().path("CALL_STATUS").asInt());
    }

    @Test
    void helper_php_456_theStatisticsRecordHasPhpsTypes() {
        int contact = box.emu.addContact("Anna", "M", 3, null, "+79990002003");
        String callId = box.register(2, "+7 999 000-20-03");

        JsonNode stat = box.finish(callId, 2, 30).result();

        assertEquals("2", stat.path("INCOMING").asText());
        assertTrue(stat.path("INCOMING").isTextual(), "a database string");
        assertTrue(stat.path("CALL_START_DATE").isObject() && stat.path("CALL_START_DATE").isEmpty(),
                "a DateTime object encodes as {}: " + stat.path("CALL_START_DATE"));
        assertEquals("1", stat.path("REST_APP_ID").asText());
        assertTrue(stat.path("REST_APP_ID").isTextual());
        assertEquals("+79990002003", stat.path("PHONE_NUMBER").asText(), "CALLER_ID: stripLetters");
        assertEquals("REST_APP:1", stat.path("PORTAL_NUMBER").asText(), "no line: the application's pseudo-line");
        assertEquals("CONTACT", stat.path("CRM_ENTITY_TYPE").asText());
        assertEquals(contact, stat.path("CRM_ENTITY_ID").asInt());
        assertEquals(0, stat.path("CALL_VOTE").asInt());
        assertEquals("", stat.path("COST_CURRENCY").asText());
        assertFalse(stat.has("ERRORS"));
    }

    @Test
    void vi_crm_helper_php_424_aClientCreatedBetweenRegisterAndFinishGetsTheActivity() {
        String callId = box.register(2, "+79990002004");
        int contact = box.emu.addContact("Late", "Comer", 3, null, "8 999 000 20 04");

        JsonNode stat = box.finish(callId, 2, 12).result();

        assertTrue(stat.path("CRM_ACTIVITY_ID").asInt() > 0, stat.toString());
        assertFalse(stat.has("CRM_ENTITY_TYPE"), "the call itself had no entity");
        Activity act = box.emu.state().activitiesOf(callId).getFirst();
        assertEquals(EntityType.CONTACT, act.ownerType());
        assertEquals(contact, act.ownerId());
    }

    @Test
    void helper_php_651_nobodyFoundAtFinishIsActivityIdFalseAndAnError() {
        String callId = box.register(2, "+79990002005");

        JsonNode stat = box.finish(callId, 2, 10).result();

        assertTrue(stat.path("CRM_ACTIVITY_ID").isBoolean() && !stat.path("CRM_ACTIVITY_ID").asBoolean(), stat.toString());
        assertEquals("Could not find associated crm entity for the current call",
                stat.path("ERRORS").path("ACTIVITY_CREATION").asText());
        assertFalse(stat.has("CRM_ENTITY_TYPE"));
        assertTrue(box.emu.state().activities().isEmpty());
    }

    @Test
    void helper_php_447_finishHidesTheCardOfTheFinishingUserOnly() {
        String callId = box.register(2, "+79990002006");
        box.call("telephony.externalcall.show", params("CALL_ID", callId, "USER_ID", 3));

        box.finish(callId, 2, 5);

        assertEquals(List.of(3), box.emu.state().call(callId).orElseThrow().cardVisibleTo());
    }

    @Test
    void helper_php_668_showAndHideOfAnUnknownOrFinishedCallAnswerFalseNeverAnError() {
        String callId = box.register(2, "+79990002007");
        box.finish(callId, 2, 5);

        for (String method : new String[] {"telephony.externalcall.show", "telephony.externalcall.hide"}) {
            for (String id : new String[] {callId, "externalCall.unknown.1", ""}) {
                TestBox.Answer a = box.call(method, params("CALL_ID", id, "USER_ID", 2));
                assertEquals(200, a.status(), method + " " + id + ": " + a);
                assertTrue(a.result().isBoolean() && !a.result().asBoolean(), a.toString());
            }
        }
        box.finish(callId, 2, 5);
        assertEquals(List.of("show after finish", "hide after finish", "finish after finish"), box.emu.lateCommands().get(callId),
                "what came for a call the box had closed is counted (the load tests' order check)");
        assertEquals(List.of("show before register", "hide before register"),
                box.emu.lateCommands().get("externalCall.unknown.1"));
    }

    @Test
    void helper_php_690_showWithoutUserIdShowsTheCallsUser() {
        String callId = box.register(3, "+79990002008", "SHOW", 0);

        TestBox.Answer a = box.call("telephony.externalcall.show", params("CALL_ID", callId));

        assertTrue(a.result().asBoolean(), a.toString());
        assertEquals(List.of(3), box.emu.state().call(callId).orElseThrow().cardVisibleTo());
    }

    @Test
    void vi_rest_php_1815_attachRecordBeforeFinishIsTheStatisticTableText() {
        String callId = box.register(2, "+79990002009");
        TestBox.Answer a = box.call("telephony.externalCall.attachRecord", params("CALL_ID", callId,
                "FILENAME", "a.mp3", "FILE_CONTENT", "SUQz"));
        assertEquals(400, a.status());
        assertEquals("", a.error());
        assertEquals("Call is not found in the statistic table. Looks like it is not finished yet.", a.description());
        TestBox.Answer none = box.call("telephony.externalCall.attachRecord", Map.of("CALL_ID", callId));
        assertEquals("Required parameters are not set. Request should contain or URL or FILENAME parameter",
                none.description());
    }
}
