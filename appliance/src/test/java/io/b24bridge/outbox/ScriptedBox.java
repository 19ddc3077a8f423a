package io.b24bridge.outbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers MockWebServer requests by REST method, as a test scripts them, and keeps the order they came in:
 * enough of a box to watch the outbox's order, retries and dead letters.
 */
final class ScriptedBox extends Dispatcher {

    /** One request as the box saw it: the method and the form body. */
    record Seen(String method, String body) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Function<String, MockResponse>> answers = new ConcurrentHashMap<>();

    ScriptedBox() {
        on("telephony.externalcall.register", body -> ok("{\"CALL_ID\": \"CALL-" + param(body, "EXTERNAL_CALL_ID") + "\"}"));
        on("telephony.externalcall.show", body -> ok("true"));
        on("telephony.externalcall.hide", body -> ok("true"));
        on("telephony.externalcall.finish", body -> ok("{\"CALL_ID\": \"" + param(body, "CALL_ID") + "\"}"));
        on("telephony.externalCall.attachRecord", body -> ok("{\"FILE_ID\": 1}"));
        on("user.get", body -> ok("[{\"ID\": \"5\", \"NAME\": \"Anna\", \"UF_PHONE_INNER\": \"101\"},"
                + "{\"ID\": \"6\", \"NAME\": \"Boris\", \"UF_PHONE_INNER\": \"102\"}]"));
    }

    ScriptedBox on(String method, Function<String, MockResponse> answer) {
        answers.put(method, answer);
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getTarget().replaceFirst("^/rest/", "").replaceFirst("\\.json$", "");
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        seen.add(new Seen(method, body));
        Function<String, MockResponse> answer = answers.get(method);
        return answer == null ? error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!") : answer.apply(body);
    }

    List<String> methods() {
        return seen.stream().map(Seen::method).toList();
    }

    static MockResponse ok(String result) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"result\": " + result + ", \"time\": {}}").build();
    }

    static MockResponse error(int status, String code, String description) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body("{\"error\": \"" + code + "\", \"error_description\": \"" + description + "\"}").build();
    }

    static String param(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8)
                    .equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
