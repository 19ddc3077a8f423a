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
 * A call's life in the box: register, the card, finish and its activity, as box 26.250 does them
 * (voximplant/lib/rest/helper.php, voximplant/classes/general/vi_rest.php, vi_crm_helper.php;
 * yuliai/bitrix-modules@a3a2a579). Finish's answer and show/hide in detail: {@link CallEndTest}.
 */
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
    void actualentityselector_php_1022_registerFindsTheContactByMatchCodeAndPrefersContactOverCompanyOverLead() {
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
    void actualentityselector_php_1022_withoutAContactTheCompanyIsChosenLeadsOnlyWhenNeitherIs() {
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
    void vi_crm_helper_php_getLeadFields_anUnknownNumberWithCrmCreateBecomesALeadWithAKnownSource() {
        box.emu.addLeadSource("DID_1", "Line 1");
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79990001122", "TYPE", 2, "CRM_CREATE", 1, "CRM_SOURCE", "DID_1"));

        int leadId = a.result().path("CRM_CREATED_LEAD").asInt();
        assertTrue(leadId > 0, a.toString());
        assertEquals("LEAD", a.result().path("CRM_ENTITY_TYPE").asText());
        assertEquals(leadId, a.result().path("CRM_CREATED_ENTITIES").get(0).path("ENTITY_ID").asInt());
        JsonNode lead = box.call("crm.lead.get", params("id", leadId)).result();
        assertEquals("+79990001122 - Incoming call", lead.path("TITLE").asText());
        assertEquals("DID_1", lead.path("SOURCE_ID").asText());
        assertEquals("2", lead.path("ASSIGNED_BY_ID").asText(), "responsible: the call's user");
        assertEquals("+79990001122", lead.path("PHONE").get(0).path("VALUE").asText());
    }

    @Test
    void vi_crm_helper_php_getLeadFields_anUnknownOrMissingCrmSourceBecomesCall() {
        int unknown = box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "+79990001123",
                "TYPE", 2, "CRM_CREATE", 1, "CRM_SOURCE", "DID_NOBODY_MADE")).result().path("CRM_CREATED_LEAD").asInt();
        int none = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79990001133", "TYPE", 2, "CRM_CREATE", 1)).result().path("CRM_CREATED_LEAD").asInt();
        assertEquals("CALL", box.emu.state().lead(unknown).orElseThrow().field("SOURCE_ID"),
                "call tracking by an unknown source silently falls back to CALL");
        assertEquals("CALL", box.emu.state().lead(none).orElseThrow().field("SOURCE_ID"));
    }

    @Test
    void vi_crm_helper_php_getLeadFields_anEmployeesNumberGetsNoLeadButLeadCreationError() {
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "8 916 111-01-02", "TYPE", 2, "CRM_CREATE", 1));

        assertEquals(200, a.status(), a.toString());
        assertEquals("Lead creation is disabled for local users", a.result().path("LEAD_CREATION_ERROR").asText());
        assertTrue(a.result().path("CRM_CREATED_LEAD").isNull());
        assertTrue(box.emu.state().leads().isEmpty());
    }

    @Test
    void helper_php_184_aCallFromAnExtensionIsInternalNoCrmAtAll() {
        box.emu.addContact("Namesake", "", 3, null, "102");
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "102", "TYPE", 2, "CRM_CREATE", 1));

        assertEquals("", a.result().path("CRM_ENTITY_TYPE").asText(), a.toString());
        assertTrue(a.result().path("CRM_CREATED_LEAD").isNull());
        assertFalse(a.result().has("LEAD_CREATION_ERROR"));
    }

    @Test
    void helper_php_376_withoutCrmCreateNothingIsCreatedAndTheEntityTypeIsEmptyText() {
        TestBox.Answer a = box.call("telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "+79990001124", "TYPE", 2));

        assertEquals(200, a.status());
        assertTrue(a.result().path("CRM_CREATED_LEAD").isNull());
        assertEquals("", a.result().path("CRM_ENTITY_TYPE").asText());
        assertTrue(a.result().path("CRM_ENTITY_TYPE").isTextual(), "(string) of nothing: \"\"");
        assertTrue(a.result().path("CRM_ENTITY_ID").isNull());
        assertTrue(box.emu.state().leads().isEmpty());
        TestBox.Answer again = box.call("telephony.externalcall.register",
                params("USER_ID", 2, "PHONE_NUMBER", "+79990001124", "TYPE", 2));
        assertTrue(again.result().path("CRM_ENTITY_TYPE").isNull(), "a re-registration answers the stored null (:248)");
    }

    @Test
    void helper_php_286_aNamedEntityIsBoundWithoutCheckOrSearch() {
        box.emu.addContact("Anna", "M", 3, null, "+79990001140");
        TestBox.Answer a = box.call("telephony.externalcall.register", params("USER_ID", 2,
                "PHONE_NUMBER", "+79990001140", "TYPE", 2, "CRM_ENTITY_TYPE", "LEAD", "CRM_ENTITY_ID", 777));

        assertEquals("LEAD", a.result().path("CRM_ENTITY_TYPE").asText());
        assertEquals(777, a.result().path("CRM_ENTITY_ID").asInt(), "lead 777 does not exist; the contact is not searched");
    }

    @Test
    void helper_php_107_anUnknownLineNumberBecomesALineOfTheApplication() {
        box.register(2, "+79990001141", "LINE_NUMBER", "74959990000");

        JsonNode lines = box.call("telephony.externalLine.get", Map.of()).result();
        TestBox.Answer add = box.call("telephony.externalLine.add", params("NUMBER", "74959990000"));

        assertEquals("74959990000", lines.get(0).path("NUMBER").asText());
        assertEquals(400, add.status());
        assertEquals("", add.error());
        assertEquals("Line already exists", add.description());
    }

    @Test
    void registerAcceptsTheUsersExtensionInsteadOfTheirId() {
        String callId = box.register(0, "+79990001125", "USER_ID", "", "USER_PHONE_INNER", "102");
        assertEquals(3, box.emu.state().call(callId).orElseThrow().userId());
    }

    @Test
    void helper_php_668_theCardIsShownToTheUserOnRegisterAndShowAndHideChangeWhoSeesIt() {
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
    void vi_rest_php_1687_showZeroRegistersWithoutShowingTheCard() {
        String callId = box.register(2, "+79990001127", "SHOW", 0);
        assertTrue(box.emu.state().call(callId).orElseThrow().cardVisibleTo().isEmpty());
    }

    @Test
    void vi_crm_helper_php_409_finishCreatesExactlyOneCallActivityBoundToTheEntityAndHidesTheCard() {
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
        assertTrue(call.cardVisibleTo().isEmpty(), "finish hides the finishing user's card");
        assertEquals("3", box.emu.state().contact(contact).orElseThrow().field("ASSIGNED_BY_ID"),
                "an existing entity keeps its responsible");
    }

    @Test
    void helper_php_451_anOutgoingCallHasDirectionTwoAndAMissedCallDefaultsTo304() {
        box.emu.addContact("Pavel", "O", 3, null, "+79265550003");
        String callId = box.register(2, "+79265550003", "TYPE", 1);
        JsonNode stat = box.finish(callId, 2, 0).result();
        assertEquals("304", stat.path("CALL_FAILED_CODE").asText(), "no talk time: missed");
        assertEquals(0, stat.path("CALL_STATUS").asInt());
        assertEquals(Activity.DIRECTION_OUTGOING, box.emu.state().activitiesOf(callId).getFirst().direction());
    }

    @Test
    void helper_php_483_theLeadRegisterCreatedGoesToWhoTalked() {
        String callId = box.register(2, "+79990001128", "CRM_CREATE", 1);
        int lead = box.emu.state().call(callId).orElseThrow().createdLeadId();
        assertEquals("2", box.emu.state().lead(lead).orElseThrow().field("ASSIGNED_BY_ID"));

        box.finish(callId, 3, 30);

        assertEquals("3", box.emu.state().lead(lead).orElseThrow().field("ASSIGNED_BY_ID"));
        assertEquals(3, box.emu.state().activitiesOf(callId).getFirst().responsibleId());
    }

    @Test
    void vi_rest_php_1645_parameterErrorsHaveAnEmptyCodeAndTheBoxsTexts() {
        assertError(box.call("telephony.externalcall.register", params("PHONE_NUMBER", "+79990001130", "TYPE", 2)),
                "", "USER_ID or USER_PHONE_INNER should be set");
        assertError(box.call("telephony.externalcall.register", params("USER_PHONE_INNER", "999", "PHONE_NUMBER",
                "+79990001130", "TYPE", 2)), "", "USER_ID or USER_PHONE_INNER should be set");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "TYPE", 2)),
                "", "Unsupported phone number format");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "+7999", "TYPE", 7)),
                "", "Unknown TYPE");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "+7999",
                "TYPE", 2, "CALL_START_DATE", "07.03.2026 10:20")), "",
                "CALL_START_DATE should be in the ISO-8601 format");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 9, "PHONE_NUMBER", "+7999", "TYPE", 2)),
                "", "User is not found or is not active");
        assertError(box.call("telephony.externalcall.register", params("USER_ID", 2, "PHONE_NUMBER", "anonymous", "TYPE", 2)),
                "", "Unsupported phone number format");
        assertError(box.call("telephony.externalcall.finish", params("USER_ID", 2)),
                "INVALID_ARGUMENT", "CALL_ID must be a string");
        String callId = box.register(2, "+79990001131");
        assertError(box.call("telephony.externalcall.finish", params("CALL_ID", callId)),
                "", "USER_ID or USER_PHONE_INNER should be set");
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
