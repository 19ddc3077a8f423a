package io.b24bridge.admin;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.outbox.OutboxQueue;
import io.b24bridge.outbox.OutboxState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's JSON API over the outbox and the ratings, on a running appliance (HTTPS admin listener, real
 * Derby): dead letters listed and sent again, ratings per operator for a period, bad input answered plainly.
 */
class OutboxAndRatingsApiTest {

    @TempDir
    Path dir;
    TestAppliance app;
    Outbox outbox;

    @BeforeEach
    void start() {
        app = TestAppliance.start(dir);
        outbox = app.appliance().outbox();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private void ratedCall(String linkedid, String operator, int vote, Instant at) {
        CallKey key = new CallKey("pbx1", linkedid);
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, at).clientNumber("+79162000001")
                .did("74951234567").defaultResponsible(4).leadSource("CALL").lineNumber("74951234567").registered(true)
                .operator(operator).answeredAt(at).build();
        outbox.journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Finish(key, CrmCommand.UserRef.extension(operator), 30, "200", vote, false)), true,
                List.of(new CrmLifecycle.Rating(key, operator, vote, at, true)), null)));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.newMapper().readTree(r.body());
    }

    @Test
    void ratingsPerOperatorForAPeriod() throws Exception {
        Instant now = Instant.now();
        ratedCall("1.1", "101", 5, now.minusSeconds(60));
        ratedCall("1.2", "101", 4, now.minusSeconds(30));
        ratedCall("1.3", "102", 2, now.minusSeconds(20));
        ratedCall("1.4", "102", 5, now.minusSeconds(40 * 86400)); // older than the default 30 days

        JsonNode recent = json(app.get("/api/ratings"));
        assertEquals(2, recent.get("operators").size(), recent.toString());
        JsonNode ivan = recent.get("operators").get(0);
        assertEquals("101", ivan.get("operator").asText());
        assertEquals(2, ivan.get("count").asInt());
        assertEquals(4.5, ivan.get("average").asDouble());
        assertEquals(1, ivan.get("byVote").get("5").asInt());
        assertEquals(1, recent.get("operators").get(1).get("count").asInt(), "102's old rating is outside the period");

        HttpResponse<String> allResponse = app.get("/api/ratings?since=2020-01-01");
        assertEquals(200, allResponse.statusCode(), allResponse.body());
        JsonNode all = json(allResponse);
        assertEquals(3.5, all.get("operators").get(1).get("average").asDouble());

        JsonNode fromAnInstant = json(app.get("/api/ratings?since=" + now.minusSeconds(45).toString().replace(":", "%3A")));
        assertEquals(1, fromAnInstant.get("operators").get(0).get("count").asInt(), fromAnInstant.toString());

        HttpResponse<String> bad = app.get("/api/ratings?since=yesterday");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("since: 'yesterday' is neither a date"), bad.body());
    }

    @Test
    void aDeadLetterIsListedAndSentAgainByTheOperator() throws Exception {
        ratedCall("2.1", "101", 3, Instant.now());
        OutboxQueue.Entry head = outbox.queue().head(new CallKey("pbx1", "2.1")).orElseThrow();
        outbox.queue().dead(head, "ERROR_ARGUMENT: USER_ID should be set");

        JsonNode dead = json(app.get("/api/outbox/dead"));
        assertEquals(1, dead.size());
        assertEquals("pbx1:2.1", dead.get(0).get("call").asText());
        assertEquals("FINISH", dead.get(0).get("kind").asText());
        assertTrue(dead.get(0).get("error").asText().contains("USER_ID should be set"));
        assertEquals(1, json(app.get("/api/outbox")).get("dead").asInt());

        assertEquals(400, app.post("/api/outbox/dead/abc/retry", "").statusCode());
        assertEquals(404, app.post("/api/outbox/dead/999999/retry", "").statusCode());
        HttpResponse<String> retried = app.post("/api/outbox/dead/" + head.id() + "/retry", "");
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(OutboxState.PENDING, outbox.queue().head(new CallKey("pbx1", "2.1")).orElseThrow().state());
        assertEquals(0, json(app.get("/api/outbox/dead")).size());
        JsonNode audit = json(app.get("/api/audit?action=outbox.retry")).path("entries");
        assertEquals("OK", audit.get(0).path("outcome").asText(), "the retry is in the audit log: " + audit);
        assertEquals(String.valueOf(head.id()), audit.get(0).path("target").asText());
        assertEquals("REFUSED", audit.get(1).path("outcome").asText(), "so is the refused one");
    }

    @Test
    void aCallAtRiskIsListedUntilAnOperatorSaysTheCrmWasChecked() throws Exception {
        try (var c = app.appliance().db().connection();
             var ps = c.prepareStatement("INSERT INTO REGISTERS_AT_RISK (CALL_KEY, CLIENT_NUMBER, STARTED_AT, CALL_ID, "
                     + "NOTED_AT) VALUES ('pbx1:3.1', '+79162000001', CURRENT_TIMESTAMP, 'externalCall.2', "
                     + "CURRENT_TIMESTAMP)")) {
            ps.executeUpdate();
        }
        JsonNode atRisk = json(app.get("/api/outbox/at-risk"));
        assertEquals(1, atRisk.size(), atRisk.toString());
        assertEquals("pbx1:3.1", atRisk.get(0).get("call").asText());
        assertEquals("externalCall.2", atRisk.get(0).get("callId").asText());

        assertEquals(400, app.post("/api/outbox/at-risk/nocolon/dismiss", "").statusCode());
        assertEquals(404, app.post("/api/outbox/at-risk/pbx1:9.9/dismiss", "").statusCode());
        HttpResponse<String> dismissed = app.post("/api/outbox/at-risk/pbx1:3.1/dismiss", "");
        assertEquals(200, dismissed.statusCode(), dismissed.body());
        assertEquals(0, json(app.get("/api/outbox/at-risk")).size());
        JsonNode audit = json(app.get("/api/audit?action=outbox.at-risk")).path("entries");
        assertEquals("pbx1:3.1", audit.get(0).path("target").asText(), "who checked the CRM is in the audit log: "
                + audit);
    }
}
