package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a contract fixture against a {@link ModuleBox} and lists what did not match, one line per mismatch – the
 * Java twin of {@code box-module/tests/Contract/Runner.php}, with the same rules (box-module/contract/README.md):
 * objects matched key by key ({@code $keys} for the exact set), lists element by element, scalars with their JSON
 * type, {@code $absent}, {@code $match}, {@code $type}, {@code $gt}; {@code ${name}} variables, {@code $repeat}.
 */
public final class ContractPlayer {

    private static final Pattern WHOLE_VARIABLE = Pattern.compile("^\\$\\{(\\w+)}$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    private final ModuleBox box;
    private final Map<String, JsonNode> vars = new HashMap<>();
    private final List<String> failures = new ArrayList<>();

    public ContractPlayer(ModuleBox box) {
        this.box = box;
    }

    public List<String> play(JsonNode fixture) {
        failures.clear();
        vars.clear();
        box.reset().properties().forEach(e -> vars.put(e.getKey(), e.getValue()));
        if ("acknowledged".equals(fixture.path("given").path("installEvent").asText("pending"))) {
            acknowledgeInstallEvent();
        }
        int index = 0;
        for (JsonNode step : fixture.path("steps")) {
            step(index++, step);
        }
        return List.copyOf(failures);
    }

    private void step(int index, JsonNode step) {
        String where = "step " + index + (step.has("note") ? " (" + step.get("note").asText() + ")" : "");
        if (step.has("box")) {
            box.box((ObjectNode) substitute(step));
            return;
        }
        String connection = step.path("connection").asText("appliance");
        ModuleBox.Answer answer = step.has("token")
                ? box.token((ObjectNode) substitute(step.get("token")), connection)
                : box.rest(step.get("rest").asText(), (ObjectNode) substitute(step.has("params") ? step.get("params") : JsonNodeFactory.instance.objectNode()), connection);
        JsonNode expect = step.path("expect");
        if (expect.has("status") && expect.get("status").asInt() != answer.status()) {
            failures.add(where + ": status " + answer.status() + ", expected " + expect.get("status").asInt() + " — " + answer.body());
        }
        if (expect.has("body")) {
            match(where + ": body", substitute(expect.get("body")), answer.body());
        }
        step.path("save").properties().forEach(e -> vars.put(e.getKey(), at(answer.body(), e.getValue().asText())));
    }

    private void match(String where, JsonNode expected, JsonNode actual) {
        if (expected.isObject() && expected.has("$absent")) {
            if (actual != null) {
                failures.add(where + " must be absent, is " + actual);
            }
            return;
        }
        if (actual == null) {
            failures.add(where + " is missing");
            return;
        }
        if (expected.isObject() && expected.has("$match")) {
            if (!actual.isTextual() || !Pattern.compile(expected.get("$match").asText()).matcher(actual.asText()).find()) {
                failures.add(where + " = " + actual + " does not match " + expected.get("$match").asText());
            }
        } else if (expected.isObject() && expected.has("$type")) {
            if (!type(actual).equals(expected.get("$type").asText())) {
                failures.add(where + " is " + type(actual) + ", expected " + expected.get("$type").asText());
            }
        } else if (expected.isObject() && expected.has("$gt")) {
            if (!actual.isIntegralNumber() || actual.asLong() <= expected.get("$gt").asLong()) {
                failures.add(where + " = " + actual + ", expected more than " + expected.get("$gt"));
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                failures.add(where + " = " + actual + ", expected a list of " + expected.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                match(where + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else if (expected.isObject()) {
            matchObject(where, expected, actual);
        } else if (!sameScalar(expected, actual)) {
            failures.add(where + " = " + actual + ", expected " + expected);
        }
    }

    private void matchObject(String where, JsonNode expected, JsonNode actual) {
        // PHP's json_encode writes an empty object as [], so an empty list stands for one too
        if (!actual.isObject() && !(actual.isArray() && actual.isEmpty())) {
            failures.add(where + " = " + actual + ", expected an object");
            return;
        }
        if (expected.has("$keys")) {
            TreeSet<String> want = new TreeSet<>();
            expected.get("$keys").forEach(k -> want.add(k.asText()));
            TreeSet<String> got = new TreeSet<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (!want.equals(got)) {
                failures.add(where + " has keys " + got + ", expected exactly " + want);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("$keys")) {
                match(where + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
            }
        }
    }

    private static boolean sameScalar(JsonNode expected, JsonNode actual) {
        if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
            return expected.asLong() == actual.asLong();
        }
        return expected.equals(actual);
    }

    private JsonNode substitute(JsonNode value) {
        if (value.isObject() && value.has("$repeat")) {
            return TextNode.valueOf(value.get("$repeat").asText().repeat(value.get("times").asInt()));
        }
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            value.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue())));
            return copy;
        }
        if (value.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            value.forEach(v -> copy.add(substitute(v)));
            return copy;
        }
        if (!value.isTextual()) {
            return value;
        }
        Matcher whole = WHOLE_VARIABLE.matcher(value.asText());
        if (whole.matches()) {
            return variable(whole.group(1));
        }
        return TextNode.valueOf(VARIABLE.matcher(value.asText()).replaceAll(m -> Matcher.quoteReplacement(variable(m.group(1)).asText())));
    }

    private JsonNode variable(String name) {
        JsonNode value = vars.get(name);
        if (value == null) {
            throw new IllegalStateException("fixture uses ${" + name + "} before saving it");
        }
        return value;
    }

    private void acknowledgeInstallEvent() {
        ObjectNode form = JsonNodeFactory.instance.objectNode()
                .put("grant_type", "client_credentials").put("client_id", vars.get("clientId").asText()).put("client_secret", vars.get("credential").asText());
        String token = box.token(form, "appliance").body().path("access_token").asText();
        JsonNode pulled = box.rest("b24bridge.events.pull", JsonNodeFactory.instance.objectNode().put("auth", token), "appliance").body();
        box.rest("b24bridge.events.ack", JsonNodeFactory.instance.objectNode().put("auth", token)
                .put("id", pulled.path("result").path("events").path(0).path("id").asLong()), "appliance");
    }

    private static JsonNode at(JsonNode body, String path) {
        JsonNode value = body;
        for (String key : path.split("\\.")) {
            value = value.isArray() ? value.get(Integer.parseInt(key)) : value.get(key);
            if (value == null) {
                throw new IllegalStateException("no " + path + " in " + body);
            }
        }
        return value;
    }

    private static String type(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        } else if (value.isIntegralNumber()) {
            return "integer";
        } else if (value.isNumber()) {
            return "number";
        } else if (value.isBoolean()) {
            return "boolean";
        } else if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "array" : "object";
    }
}
