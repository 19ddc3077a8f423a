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

import static io.b24bridge.testkit.bitrix.TelephonyLifecycleTest.assertError;
import static io.b24bridge.testkit.bitrix.TestBox.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supporting methods of §2 and §4, with PHP-style forms and the list shape of §1. */
class CrmMethodsTest {

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
    void fresh() {
        box.emu.reset();
        box.tokens = box.emu.issueTokens(1);
        box.emu.addUser(new User(2, "Ivan", "Petrov", "101", "+79161110101", "+74951110101", null, true, "OPENED"));
        box.emu.addUser(new User(4, "Oleg", "Smirnov", "103", "+79161110103", null, null, true, "CLOSED"));
    }

    private TestBox.Answer form(String method, String form) {
        return box.postForm("/rest/" + method + ".json", form + "&auth=" + box.tokens.accessToken());
    }

    @Test
    void userGetPagesByFiftyWithTotalAndNext() {
        for (int i = 10; i < 128; i++) {
            box.emu.addUser(User.of(i, "User" + i, String.valueOf(1000 + i), null));
        }
        TestBox.Answer first = box.call("user.get", Map.of());
        assertEquals(50, first.result().size());
        assertEquals(121, first.body().path("total").asInt());
        assertEquals(50, first.body().path("next").asInt());
        TestBox.Answer last = box.call("user.get", params("start", 100));
        assertEquals(21, last.result().size());
        assertFalse(last.body().has("next"), "no next on the last page");
    }

    @Test
    void theUsersOutgoingLinesComeFromVoximplantUserGetNeverFromUserGet() {
        box.emu.setOutgoingLine(4, "REST_APP:7");
        JsonNode users = form("voximplant.user.get", "USER_ID[0]=2&USER_ID[1]=4").result();
        assertEquals(2, users.size(), users.toString());
        assertEquals("", users.get(0).path("DEFAULT_LINE").asText(), "user 2 has no line of their own");
        assertEquals("REST_APP:7", users.get(1).path("DEFAULT_LINE").asText());
        assertEquals("103", users.get(1).path("INNER_NUMBER").asText());
        assertTrue(users.get(1).has("SIP_PASSWORD"), "the box answers the SIP password alongside");
        assertError(box.call("voximplant.user.get", Map.of()), "", "Parameter USER_ID is not set");
        assertFalse(box.call("user.get", Map.of()).result().toString().contains("UF_VI_BACKPHONE"),
                "REST user.get does not return UF_VI_BACKPHONE");

        assertEquals("LINK_BASE_NUMBER", box.call("voximplant.line.outgoing.get", Map.of()).result().asText(),
                "no default line set");
        box.emu.setPortalOutgoingLine(box.emu.applicationLine());
        assertEquals("REST_APP:1", box.call("voximplant.line.outgoing.get", Map.of()).result().asText());
        assertEquals(1, box.call("app.info", Map.of()).result().path("ID").asInt(), "the pseudo-line's id");
    }

    @Test
    void aLeadMadeFromANestedFormIsReadUpdatedAndListed() {
        TestBox.Answer add = form("crm.lead.add", "fields[TITLE]=Call%20tracking&fields[SOURCE_ID]=DID_1"
                + "&fields[ASSIGNED_BY_ID]=2&fields[PHONE][0][VALUE]=%2B79990001111&fields[PHONE][0][VALUE_TYPE]=WORK");
        assertEquals(200, add.status(), add.toString());
        int id = add.result().asInt();

        JsonNode lead = box.call("crm.lead.get", params("id", id)).result();
        assertEquals("Call tracking", lead.path("TITLE").asText());
        assertEquals("DID_1", lead.path("SOURCE_ID").asText());
        assertEquals("2", lead.path("ASSIGNED_BY_ID").asText());
        assertEquals("PHONE", lead.path("PHONE").get(0).path("TYPE_ID").asText());
        String phoneItem = lead.path("PHONE").get(0).path("ID").asText();

        TestBox.Answer upd = form("crm.lead.update", "id=" + id + "&fields[TITLE]=Renamed&fields[PHONE][0][ID]="
                + phoneItem + "&fields[PHONE][0][VALUE]=%2B79990002222&fields[PHONE][1][VALUE]=%2B79990003333");
        assertTrue(upd.result().asBoolean(), upd.toString());
        CrmEntity after = box.emu.state().lead(id).orElseThrow();
        assertEquals("Renamed", after.field("TITLE"));
        assertEquals(List.of("+79990002222", "+79990003333"), after.phones());

        JsonNode list = box.call("crm.lead.list", params("filter", Map.of("SOURCE_ID", "DID_1"))).result();
        assertEquals(1, list.size());
        assertFalse(list.get(0).has("PHONE"), "a list shows multi-fields only when selected");
        JsonNode withPhone = box.call("crm.lead.list", params("filter", Map.of("PHONE", "89990003333"),
                "select", List.of("ID", "TITLE", "PHONE"))).result();
        assertEquals(2, withPhone.get(0).path("PHONE").size());
    }

    @Test
    void anUnknownOrMissingIdIsNotFound() {
        assertError(box.call("crm.lead.get", params("id", 404)), "", "Not found");
        assertError(box.call("crm.contact.get", Map.of()), "", "ID is not defined or invalid.");
    }

    @Test
    void duplicatesAreFoundByNormalisedPhonePerEntityType() {
        int contact = box.emu.addContact("Anna", "M", 2, null, "+7 903 555-00-02");
        int lead = box.emu.addLead("Lead", 2, "WEB", "89035550002");

        JsonNode all = form("crm.duplicate.findbycomm", "type=PHONE&values[]=%2B79035550002").result();
        assertEquals(lead, all.path("LEAD").get(0).asInt());
        assertEquals(contact, all.path("CONTACT").get(0).asInt());
        JsonNode onlyContacts = form("crm.duplicate.findbycomm",
                "type=PHONE&values[]=79035550002&entity_type=CONTACT").result();
        assertFalse(onlyContacts.has("LEAD"));
        JsonNode none = form("crm.duplicate.findbycomm", "type=PHONE&values[]=70000000000").result();
        assertTrue(none.isArray() && none.isEmpty(), "nothing found is PHP's empty array");
        assertError(form("crm.duplicate.findbycomm", "values[]=1"), "", "Communication type is not defined.");
    }

    @Test
    void leadSourcesAreListedAndAdded() {
        int id = box.call("crm.status.add", params("fields", Map.of("ENTITY_ID", "SOURCE", "STATUS_ID", "DID_74951234567",
                "NAME", "Line 123-45-67"))).result().asInt();
        assertTrue(id > 0);
        JsonNode sources = box.call("crm.status.list", params("filter", Map.of("ENTITY_ID", "SOURCE"))).result();
        assertEquals("CALL", sources.get(0).path("STATUS_ID").asText(), "the box's own sources come first");
        assertEquals("DID_74951234567", sources.get(sources.size() - 1).path("STATUS_ID").asText());
        assertEquals("ERROR_CORE", box.call("crm.status.add", params("fields", Map.of("ENTITY_ID", "SOURCE",
                "STATUS_ID", "DID_74951234567", "NAME", "again"))).error());
        assertError(box.call("crm.status.add", params("fields", Map.of("ENTITY_ID", "SOURCE", "STATUS_ID", "X"))),
                "ERROR_ARGUMENT", "The field 'NAME' is required.");
    }

    @Test
    void aTimelineCommentLandsOnTheEntity() {
        int contact = box.emu.addContact("Anna", "M", 2, null, "+79035550002");
        int id = box.call("crm.timeline.comment.add", params("fields", Map.of("ENTITY_TYPE", "contact",
                "ENTITY_ID", contact, "COMMENT", "Rated the call 5"))).result().asInt();
        TimelineComment c = box.emu.state().comments().getFirst();
        assertEquals(id, c.id());
        assertEquals(EntityType.CONTACT, c.entityType());
        assertEquals("Rated the call 5", c.comment());
        assertError(box.call("crm.timeline.comment.add", params("fields", Map.of("ENTITY_TYPE", "contact",
                "ENTITY_ID", contact))), "ERROR_ARGUMENT", "The field 'COMMENT' is required.");
    }

    @Test
    void anEntitysTimelineCommentsAreListedNewestFirst() {
        int anna = box.emu.addContact("Anna", "M", 2, null, "+79035550002");
        int boris = box.emu.addContact("Boris", "K", 2, null, "+79035550003");
        for (String text : List.of("first", "second")) {
            box.call("crm.timeline.comment.add", params("fields", Map.of("ENTITY_TYPE", "contact", "ENTITY_ID", anna,
                    "COMMENT", text)));
        }
        box.call("crm.timeline.comment.add", params("fields", Map.of("ENTITY_TYPE", "contact", "ENTITY_ID", boris,
                "COMMENT", "Boris's")));
        JsonNode list = box.call("crm.timeline.comment.list", params("filter", Map.of("ENTITY_TYPE", "contact",
                "ENTITY_ID", anna), "select", List.of("ID", "COMMENT"), "order", Map.of("ID", "DESC"))).result();
        assertEquals(2, list.size(), list.toString());
        assertEquals("second", list.get(0).path("COMMENT").asText());
        assertEquals("first", list.get(1).path("COMMENT").asText());
        assertTrue(list.get(0).path("ENTITY_TYPE").isMissingNode(), "only the selected fields (and ID)");
        assertError(box.call("crm.timeline.comment.list", params("filter", Map.of("ENTITY_TYPE", "contact"))),
                "ERROR_ARGUMENT", "The filter field 'ENTITY_ID' is required.");
    }

    @Test
    void aMissedCallTaskIsAddedBoundToTheLeadAndReadBack() {
        int lead = box.emu.addLead("Lead", 2, "CALL", "+79990001111");
        TestBox.Answer add = form("tasks.task.add", "fields[TITLE]=Call%20back&fields[DESCRIPTION]=Missed"
                + "&fields[RESPONSIBLE_ID]=4&fields[DEADLINE]=2026-03-07T12:00:00%2B03:00&fields[UF_CRM_TASK][]=L_" + lead);
        assertEquals(200, add.status(), add.toString());
        int id = add.result().path("task").path("id").asInt();

        JsonNode got = box.call("tasks.task.get", params("taskId", id)).result().path("task");
        assertEquals("Call back", got.path("title").asText());
        assertEquals("4", got.path("responsibleId").asText());
        assertEquals("L_" + lead, got.path("ufCrmTask").get(0).asText());
        TestBox.Answer list = box.call("tasks.task.list", params("filter", Map.of("RESPONSIBLE_ID", 4)));
        assertEquals(1, list.result().path("tasks").size());
        assertEquals(1, list.body().path("total").asInt());
        assertError(box.call("tasks.task.add", params("fields", Map.of("DESCRIPTION", "no title"))),
                "ERROR_CORE", "The field 'TITLE' is required: a task needs a title.");
    }

    @Test
    void aTaskIsUpdatedThenCompletedOnceAndFoundByItsBinding() {
        int contact = box.emu.addContact("Ivan", "Client", 2, null, "+79990002222");
        int id = box.call("tasks.task.add", params("fields", Map.of("TITLE", "1 missed", "RESPONSIBLE_ID", 2,
                "UF_CRM_TASK", List.of("C_" + contact)))).result().path("task").path("id").asInt();
        box.call("tasks.task.add", params("fields", Map.of("TITLE", "elsewhere", "RESPONSIBLE_ID", 2)));

        JsonNode updated = box.call("tasks.task.update", params("taskId", id, "fields",
                Map.of("TITLE", "2 missed", "DESCRIPTION", "tried twice"))).result().path("task");
        assertEquals("2 missed", updated.path("title").asText(), "update answers the task as get does");
        assertEquals("C_" + contact, updated.path("ufCrmTask").get(0).asText(), "fields not given stay");
        assertEquals("2", updated.path("status").asText(), "pending");
        assertEquals(1, box.emu.tasksBoundTo("C_" + contact).getFirst().updates());

        TestBox.Answer bound = box.call("tasks.task.list", params("filter", Map.of("UF_CRM_TASK", "C_" + contact)));
        assertEquals(1, bound.result().path("tasks").size(), "only the task bound to the contact");

        JsonNode done = box.call("tasks.task.complete", params("taskId", id)).result().path("task");
        assertEquals("5", done.path("status").asText(), "completed");
        assertTrue(box.emu.tasksBoundTo("C_" + contact).getFirst().completed());
        assertError(box.call("tasks.task.complete", params("taskId", id)), "",
                "Action not allowed: the task is completed already");
        assertError(box.call("tasks.task.update", params("taskId", 9999, "fields", Map.of("TITLE", "x"))), "ERROR_CORE",
                "Task not found or not accessible");
    }

    @Test
    void helper_php_1398_externalLinesAreAddedOnceListedUpdatedAndDeleted() {
        int id = box.call("telephony.externalLine.add", params("NUMBER", "74951234567", "NAME", "Ads",
                "CRM_AUTO_CREATE", "N")).result().path("ID").asInt();
        assertTrue(id > 0);
        assertError(box.call("telephony.externalLine.add", params("NUMBER", "74951234567")), "", "Line already exists");
        JsonNode lines = box.call("telephony.externalLine.get", Map.of()).result();
        assertEquals("N", lines.get(0).path("CRM_AUTO_CREATE").asText());
        assertEquals("Ads", lines.get(0).path("NAME").asText());
        assertEquals(id, box.call("telephony.externalLine.update", params("NUMBER", "74951234567",
                "CRM_AUTO_CREATE", "Y")).result().path("ID").asInt());
        assertTrue(box.emu.state().lines().getFirst().crmAutoCreate());
        assertError(box.call("telephony.externalLine.update", params("NUMBER", "74951234567")),
                "", "There are no fields to update");
        assertTrue(box.call("telephony.externalLine.delete", params("NUMBER", "74951234567")).result().isEmpty());
        assertError(box.call("telephony.externalLine.delete", params("NUMBER", "74951234567")),
                "", "Could not find line with number 74951234567");
        box.call("telephony.externalLine.add", params("NUMBER", "74950000001"));
        box.call("telephony.externalLine.add", params("NUMBER", "74950000002", "CRM_AUTO_CREATE", "1"));
        List<ExternalLine> added = box.emu.state().lines();
        assertEquals("", added.get(0).name(), "NAME defaults to \"\" (vi_rest.php:1962)");
        assertTrue(added.get(0).crmAutoCreate(), "CRM_AUTO_CREATE defaults to Y");
        assertFalse(added.get(1).crmAutoCreate(), "only \"Y\" is yes (vi_rest.php:1965)");
    }

    @Test
    void aClickToCallOnALineWithCrmAutoCreateMakesALeadForAnUnknownNumber() {
        box.call("telephony.externalLine.add", params("NUMBER", "74951234567", "CRM_AUTO_CREATE", "Y"));
        Dispatch d = box.emu.clickToCall(2, "+79998887766", "74951234567", null, null);
        CallView call = box.emu.state().call(d.callId()).orElseThrow();
        assertEquals("LEAD", call.crmEntityType());
        assertEquals("+79998887766 - Outgoing call", box.emu.state().lead(call.crmEntityId()).orElseThrow().field("TITLE"));
    }

    @Test
    void helper_php_1291_searchCrmEntitiesGivesEveryMatchContactLeadCompanyWithItsResponsiblesDetails() {
        box.emu.addLead("Lead", 4, "WEB", "+74951112233");
        box.emu.addCompany("Romashka", 2, "+74951112233");
        int contact = box.emu.addContact("Sergey", "Kuznetsov", 4, null, "84951112233");

        JsonNode r = box.call("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "+74951112233")).result();

        assertEquals(List.of("CONTACT", "LEAD", "COMPANY"), List.of(r.get(0).path("CRM_ENTITY_TYPE").asText(),
                r.get(1).path("CRM_ENTITY_TYPE").asText(), r.get(2).path("CRM_ENTITY_TYPE").asText()));
        JsonNode first = r.get(0);
        assertEquals(contact, first.path("CRM_ENTITY_ID").asInt());
        assertEquals("Sergey Kuznetsov", first.path("NAME").asText());
        assertEquals(4, first.path("ASSIGNED_BY_ID").asInt());
        JsonNode by = first.path("ASSIGNED_BY");
        assertEquals("4", by.path("ID").asText());
        assertEquals("CLOSED", by.path("TIMEMAN_STATUS").asText());
        assertEquals("103", by.path("USER_PHONE_INNER").asText());
        assertEquals("+79161110103", by.path("PERSONAL_MOBILE").asText());
        assertEquals("Romashka", r.get(2).path("NAME").asText());
        assertError(box.call("telephony.externalCall.searchCrmEntities", Map.of()), "", "PHONE_NUMBER is empty");
        assertTrue(box.call("telephony.externalCall.searchCrmEntities", params("PHONE_NUMBER", "+70000000000"))
                .result().isEmpty());
    }

    @Test
    void profileAndAppInfoDescribeTheCallerAndTheApplication() {
        Tokens ivan = box.emu.issueTokens(2);
        JsonNode me = box.call("profile", Map.of(), ivan.accessToken()).result();
        assertEquals("2", me.path("ID").asText());
        assertFalse(me.path("ADMIN").asBoolean());
        JsonNode app = box.call("app.info", Map.of()).result();
        assertEquals(box.emu.clientId(), app.path("CODE").asText());
        assertFalse(app.path("INSTALLED").asBoolean(), "not installed yet");
    }
}
