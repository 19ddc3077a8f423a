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

/** A call's life in the box: register, the card, finish and its activity (contract §2, §5.1–5.6, §5.8). */
class TelephonyLifecycleTest {

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
        box.emu.addUser(new User(9, "Gone", "", "109", null, null, null, false, "CLOSED"));
    }

    @Test
    void s5_1_registerFindsTheContactByNormalisedNumberAndPrefersContactOverCompanyOverLead() {
        box.emu.addLead("old lead", 3, "WEB", "+7 916 555-00-01");
        box.emu.addCompany("Romashka", 3, "+7 (916) 555-00-01");
        int contact = box.emu.addContact("Sergey", "K", 3, null, "8 916 555 00 01");

        TestBox.Answer a = box.call("telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "+79165550001", "TYPE", 2));

        assertEquals(200, a.status(), a.toString());
        assertEquals("CONTACT", a.result().path("CRM_ENTITY_TYPE").asText());
        assertEquals(contact, a.result().path("CRM_ENTITY_ID").asInt());
        assertTrue(a.result().path("CRM_CREATED_LEAD").isNull());
        assertTrue(a.result().path("CALL_ID").asText().startsWith("externalCall."));
        assertTrue(a.body().path("time").path("start").isNumber(), "every answer carries time (§1)");
        assertFalse(a.raw().contains("E9"), "seconds written plainly, as PHP does: " + a.raw());
    }

    @Test
    void s5_1_withoutAContactTheCompanyIsChosenThenTheLead() {
        int lead = box.emu.addLead("lead", 3, "WEB", "+74951112233");
        JsonNode first = box.call("telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "84951112233", "TYPE", 2)).result();
        assertEquals("LEAD", first.path("CRM_ENTITY_TYPE").asText());
        assertEquals(lead, first.path("CRM_ENTITY_ID").asInt());
        int company = box.emu.addCompany("Romashka", 3, "+74951112233");
        JsonNode r = box.call("telephony.externalcall.register",
                params("USER_ID", 3, "PHONE_NUMBER", "84951112233", "TYPE", 2)).result();
        assertEquals("COMPANY", r.path("CRM_ENTITY_TYPE").asText());
        assertEquals(company, r.path("CRM_ENTITY_ID").asInt());
    }

    @Test
    void s5_2_anUnknownNumberWithCrmCreateBecomesALeadWithTheSourceGiven() {
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79990001122", "TYPE", 2, "CRM_CREATE", 1, "CRM_SOURCE", "DID_1"));

        int leadId = a.result().path("CRM_CREATED_LEAD").asInt();
        assertTrue(leadId > 0, a.toString());
        assertEquals("LEAD", a.result().path("CRM_ENTITY_TYPE").asText());
        assertEquals(leadId, a.result().path("CRM_CREATED_ENTITIES").get(0).path("ENTITY_ID").asInt());
        JsonNode lead = box.call("crm.lead.get", params("id", leadId)).result();
        assertEquals("Incoming call +79990001122", lead.path("TITLE").asText());
        assertEquals("DID_1", lead.path("SOURCE_ID").asText());
        assertEquals("2", lead.path("ASSIGNED_BY_ID").asText(), "responsible: the call's user when none was seen");
        assertEquals("+79990001122", lead.path("PHONE").get(0).path("VALUE").asText());
    }

    @Test
    void s5_2_withoutCrmSourceTheLeadSourceIsCall() {
        int leadId = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79990001123", "TYPE", 2, "CRM_CREATE", 1)).result().path("CRM_CREATED_LEAD").asInt();
        assertEquals("CALL", box.emu.state().lead(leadId).orElseThrow().field("SOURCE_ID"));
    }

    @Test
    void s5_2_withoutCrmCreateNothingIsCreated() {
        TestBox.Answer a = box.call("telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "+79990001124", "TYPE", 2));

        assertEquals(200, a.status());
        assertTrue(a.result().path("CRM_CREATED_LEAD").isNull());
        assertTrue(a.result().path("CRM_ENTITY_TYPE").isNull());
        assertTrue(box.emu.state().leads().isEmpty());
    }

    @Test
    void registerAcceptsTheUsersExtensionInsteadOfTheirId() {
        String callId = box.register(0, "+79990001125", "USER_ID", "", "USER_PHONE_INNER", "102");
        assertEquals(3, box.emu.state().call(callId).orElseThrow().userId());
    }

    @Test
    void s5_4_theCardIsShownToTheUserOnRegisterAndShowAndHideChangeWhoSeesIt() {
        String callId = box.register(2, "+79990001126");
        assertEquals(List.of(2), box.emu.state().call(callId).orElseThrow().cardVisibleTo());

        assertEquals(200, box.postForm("/rest/telephony.externalcall.show.json",
                "CALL_ID=" + callId + "&USER_ID[]=3&USER_ID[]=9&auth=" + box.tokens.accessToken()).status());
        assertEquals(List.of(2, 3, 9), box.emu.state().call(callId).orElseThrow().cardVisibleTo());

        TestBox.Answer hide = box.call("telephony.externalcall.hide", params("CALL_ID", callId, "USER_ID", 2));
        assertTrue(hide.result().asBoolean(), hide.toString());
        CallView call = box.emu.state().call(callId).orElseThrow();
        assertEquals(List.of(3, 9), call.cardVisibleTo());
        assertEquals(List.of("SHOW", "SHOW", "SHOW", "HIDE"), call.cardLog().stream().map(CallView.CardEvent::action).toList());
    }

    @Test
    void s5_4_showZeroRegistersWithoutShowingTheCard() {
        String callId = box.register(2, "+79990001127", "SHOW", 0);
        assertTrue(box.emu.state().call(callId).orElseThrow().cardVisibleTo().isEmpty());
    }

    @Test
    void s5_5_finishCreatesExactlyOneCallActivityBoundToTheEntityAndHidesTheCard() {
        int contact = box.emu.addContact("Anna", "M", 3, null, "+79035550002");
        String callId = box.register(2, "+79035550002", "LINE_NUMBER", "74951234567");

        TestBox.Answer fin = box.finish(callId, 2, 65, "STATUS_CODE", "200", "VOTE", 5);

        assertEquals(200, fin.status(), fin.toString());
        JsonNode stat = fin.result();
        assertEquals(callId, stat.path("CALL_ID").asText());
        assertEquals(65, stat.path("CALL_DURATION").asInt());
        assertEquals("200", stat.path("CALL_FAILED_CODE").asText());
        assertEquals(5, stat.path("CALL_VOTE").asInt());
        assertEquals(1, stat.path("CALL_STATUS").asInt());
        assertEquals("74951234567", stat.path("PORTAL_NUMBER").asText());
        int activityId = stat.path("CRM_ACTIVITY_ID").asInt();

        JsonNode list = box.call("crm.activity.list", params("filter", Map.of("OWNER_TYPE_ID", 3, "OWNER_ID", contact))).result();
        assertEquals(1, list.size(), list.toString());
        JsonNode act = box.call("crm.activity.get", params("id", activityId)).result();
        assertEquals("2", act.path("TYPE_ID").asText());
        assertEquals("1", act.path("DIRECTION").asText(), "an incoming call");
        assertEquals("VI_" + callId, act.path("ORIGIN_ID").asText());
        assertEquals("2", act.path("RESPONSIBLE_ID").asText());
        assertEquals("3", act.path("BINDINGS").get(0).path("OWNER_TYPE_ID").asText());

        Activity seen = box.emu.state().activitiesOf(callId).getFirst();
        assertEquals(65, seen.duration());
        assertEquals("200", seen.statusCode());
        assertEquals(5, seen.vote());
        CallView call = box.emu.state().call(callId).orElseThrow();
        assertTrue(call.finished());
        assertTrue(call.cardVisibleTo().isEmpty(), "finish hides the card for all (§5.4)");
        assertEquals("3", box.emu.state().contact(contact).orElseThrow().field("ASSIGNED_BY_ID"),
                "an existing entity keeps its responsible");
    }

    @Test
    void s5_5_anOutgoingCallHasDirectionTwoAndAMissedCallDefaultsTo304() {
        box.emu.addContact("Pavel", "O", 3, null, "+79265550003");
        String callId = box.register(2, "+79265550003", "TYPE", 1);
        JsonNode stat = box.finish(callId, 2, 0).result();
        assertEquals("304", stat.path("CALL_FAILED_CODE").asText(), "no talk time: missed");
        assertEquals(0, stat.path("CALL_STATUS").asInt());
        assertEquals(Activity.DIRECTION_OUTGOING, box.emu.state().activitiesOf(callId).getFirst().direction());
    }

    @Test
    void s5_5_theLeadRegisterCreatedGoesToWhoTalked() {
        String callId = box.register(2, "+79990001128", "CRM_CREATE", 1);
        int lead = box.emu.state().call(callId).orElseThrow().createdLeadId();
        assertEquals("2", box.emu.state().lead(lead).orElseThrow().field("ASSIGNED_BY_ID"));

        box.finish(callId, 3, 30);

        assertEquals("3", box.emu.state().lead(lead).orElseThrow().field("ASSIGNED_BY_ID"));
        assertEquals(3, box.emu.state().activitiesOf(callId).getFirst().responsibleId());
    }

    @Test
    void s5_5_aCallWithoutCrmEntityFinishesWithoutActivity() {
        String callId = box.register(2, "+79990001129");
        JsonNode stat = box.finish(callId, 2, 10).result();
        assertTrue(stat.path("CRM_ACTIVITY_ID").isNull());
        assertTrue(box.emu.state().activities().isEmpty());
    }

    @Test
    void s5_6_aSecondFinishIsCallNotFoundAndChangesNothing() {
        box.emu.addContact("Anna", "M", 3, null, "+79035550004");
        String callId = box.register(2, "+79035550004");
        assertEquals(200, box.finish(callId, 2, 5).status());

        TestBox.Answer again = box.finish(callId, 3, 99, "VOTE", 1);

        assertEquals(400, again.status());
        assertEquals("ERROR_CORE", again.error());
        assertEquals("Call is not found (call should be registered prior to finishing)", again.description());
        assertEquals(1, box.emu.state().activities().size());
        assertEquals(5, box.emu.state().call(callId).orElseThrow().duration());
    }

    @Test
    void s5_6_finishOfAnUnknownCallIsCallNotFound() {
        TestBox.Answer a = box.finish("externalCall.0000.1", 2, 5);
        assertEquals("ERROR_CORE", a.error());
        assertTrue(a.description().startsWith("Call is not found"));
    }

    @Test
    void s5_8_missingOrWrongParametersAreErrorsNamingTheField() {
        assertError(box.call("telephony.externalcall.register", params("PHONE_NUMBER", "+79990001130", "TYPE", 2)),
                "ERROR_CORE", "USER_ID or USER_PHONE_INNER should be set");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "TYPE", 2)),
                "ERROR_CORE", "PHONE_NUMBER should be set");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "+7999", "TYPE", 7)),
                "ERROR_CORE", "Unknown TYPE");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "+7999",
                "TYPE", 2, "CALL_START_DATE", "07.03.2026 10:20")), "ERROR_CORE",
                "CALL_START_DATE should be in the ISO-8601 format");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 9, "PHONE_NUMBER", "+7999", "TYPE", 2)),
                "ERROR_CORE", "User is not found or is not active");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "anonymous", "TYPE", 2)),
                "ERROR_CORE", "Unsupported phone number format");
        assertError(box.call("telephony.externalcall.finish", params("USER_ID", 2)),
                "INVALID_ARGUMENT", "CALL_ID must be a string");
        String callId = box.register(2, "+79990001131");
        assertError(box.call("telephony.externalcall.finish", params("CALL_ID", callId)),
                "ERROR_CORE", "USER_ID or USER_PHONE_INNER should be set");
        assertTrue(box.emu.state().activities().isEmpty());
        assertFalse(box.emu.state().call(callId).orElseThrow().finished(), "a refused finish leaves the call open");
    }

    @Test
    void methodNamesAreCaseInsensitiveTheSuffixOptionalAndJsonBodiesWork() {
        TestBox.Answer a = box.postJson("/rest/TELEPHONY.externalCall.REGISTER", Map.of("auth", box.tokens.accessToken(),
                "USER_ID", 2, "PHONE_NUMBER", "+79990001132", "TYPE", 2, "SHOW", false));
        assertEquals(200, a.status(), a.toString());
        String callId = a.result().path("CALL_ID").asText();
        assertTrue(box.emu.state().call(callId).orElseThrow().cardVisibleTo().isEmpty(), "JSON false is 0");
        assertEquals(200, box.postJson("/rest/telephony.externalcall.finish.json",
                Map.of("auth", box.tokens.accessToken(), "CALL_ID", callId, "USER_ID", 2)).status());
    }

    static void assertError(TestBox.Answer a, String code, String description) {
        assertEquals(400, a.status(), a.toString());
        assertEquals(code, a.error(), a.toString());
        assertEquals(description, a.description());
    }
}
