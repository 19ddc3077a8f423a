package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java fixture player reports what a box answers otherwise than a fixture says, and passes what matches. */
class ContractPlayerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A box that answers every request with one canned answer and remembers what it was asked. */
    private static final class CannedBox implements ModuleBox {
        final List<String> requests = new ArrayList<>();
        final Answer answer;

        CannedBox(int status, String body) throws Exception {
            this.answer = new Answer(status, JSON.readTree(body));
        }

        @Override
        public ObjectNode reset() {
            return JSON.createObjectNode().put("clientId", "local.b24bridge.connector").put("credential", "b24bc.secret")
                    .put("applicationToken", "apptoken").put("host", "box:8444").put("boxHost", "box");
        }

        @Override
        public Answer token(ObjectNode form, String connection) {
            requests.add("token " + connection + " " + form);
            return answer;
        }

        @Override
        public Answer rest(String method, ObjectNode params, String connection) {
            requests.add(method + " " + connection + " " + params);
            return answer;
        }

        @Override
        public void box(ObjectNode action) {
            requests.add("box " + action);
        }
    }

    @Test
    void everyKindOfMismatchIsReported() throws Exception {
        CannedBox box = new CannedBox(200, """
                {"access_token": "b24b1.x", "refresh_token": "b24b1.y", "expires_in": 3600, "scope": "telephony", "user_id": 1}""");
        JsonNode fixture = JSON.readTree("""
                {"name": "wrong on purpose", "given": {"module": "armed"}, "steps": [
                  {"token": {"client_id": "${clientId}"}, "expect": {"status": 201, "body": {
                    "$keys": ["access_token"], "refresh_token": {"$absent": true}, "expires_in": "3600",
                    "scope": {"$match": "^crm$"}, "user_id": {"$type": "string"}, "missing": 1}}}]}""");

        List<String> failures = new ContractPlayer(box).play(fixture);

        assertEquals(7, failures.size(), String.join("\n", failures));
        assertTrue(failures.get(0).contains("status 200, expected 201"), failures.get(0));
        assertTrue(failures.stream().anyMatch(f -> f.contains("refresh_token must be absent")));
        assertTrue(failures.stream().anyMatch(f -> f.contains("expires_in = 3600, expected \"3600\"")));
        assertTrue(failures.stream().anyMatch(f -> f.contains("does not match ^crm$")));
        assertTrue(failures.stream().anyMatch(f -> f.contains("user_id is integer, expected string")));
        assertTrue(failures.stream().anyMatch(f -> f.contains("missing is missing")));
        assertEquals(List.of("token appliance {\"client_id\":\"local.b24bridge.connector\"}"), box.requests);
    }

    @Test
    void matchingAnswersSavedValuesAndInterpolationPass() throws Exception {
        CannedBox box = new CannedBox(200, """
                {"result": {"events": [{"id": 1733000000000001, "auth": {"domain": "box", "client_endpoint": "https://box:8444/rest/"}}]}}""");
        JsonNode fixture = JSON.readTree("""
                {"name": "right", "given": {"module": "armed"}, "steps": [
                  {"rest": "b24bridge.events.pull", "params": {"auth": "t", "pad": {"$repeat": "x", "times": 3}},
                   "expect": {"status": 200, "body": {"result": {"events": [{"id": {"$gt": 5}, "auth": {
                     "domain": "${boxHost}", "client_endpoint": "https://${host}/rest/", "access_token": {"$absent": true}}}]}}},
                   "save": {"eventId": "result.events.0.id"}},
                  {"rest": "b24bridge.events.ack", "params": {"id": "${eventId}"}, "expect": {"status": 200}}]}""");

        List<String> failures = new ContractPlayer(box).play(fixture);

        assertEquals(List.of(), failures);
        assertEquals("b24bridge.events.pull appliance {\"auth\":\"t\",\"pad\":\"xxx\"}", box.requests.get(0));
        assertEquals("b24bridge.events.ack appliance {\"id\":1733000000000001}", box.requests.get(1), "a saved id keeps its type");
    }

    @Test
    void formsAreEncodedAsPhpReadsThem() throws Exception {
        ObjectNode form = (ObjectNode) JSON.readTree("""
                {"auth": "a b", "USER_ID": 2, "FIELDS": {"TITLE": "x&y"}, "IDS": [1, 2], "NONE": null}""");

        assertEquals("auth=a+b&USER_ID=2&FIELDS%5BTITLE%5D=x%26y&IDS%5B0%5D=1&IDS%5B1%5D=2", ServedModuleBox.formEncoded(form));
    }
}
