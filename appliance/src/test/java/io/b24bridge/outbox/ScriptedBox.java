package io.b24bridge.outbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Set to make every request fail as if the box were away (HTTP 503). */
    volatile boolean away;
    /** The requests refused while away. */
    final AtomicInteger refusedWhileAway = new AtomicInteger();
    /** The batches received: each is the list of its commands' methods. */
    final List<List<String>> batches = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getTarget().replaceFirst("^/rest/", "").replaceFirst("\\?.*$", "")
                .replaceFirst("\\.json$", "");
        String body = request.getBody() == null ? "" : request.getBody().string(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (away) {
            refusedWhileAway.incrementAndGet();
            return new MockResponse.Builder().code(503).body("<html>maintenance</html>").build();
        }
        if (method.equals("batch")) {
            return batch(body);
        }
        seen.add(new Seen(method, body));
        Function<String, MockResponse> answer = answers.get(method);
        return answer == null ? error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!") : answer.apply(body);
    }

    /** Runs each command of a batch through the same answers, and answers in batch shape (contract §1). */
    private MockResponse batch(String body) {
        StringBuilder results = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        List<String> methods = new java.util.ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (!key.startsWith("cmd[")) {
                continue;
            }
            String name = key.substring(4, key.length() - 1);
            String cmd = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            int q = cmd.indexOf('?');
            String method = cmd.substring(0, q);
            String params = cmd.substring(q + 1);
            methods.add(method);
            seen.add(new Seen(method, params));
            String text = bodyText(answers.get(method).apply(params));
            if (text.contains("\"error\"")) {
                errors.append(errors.isEmpty() ? "" : ",").append('"').append(name).append("\": ").append(text);
            } else {
                String result = text.substring(text.indexOf(':') + 1, text.lastIndexOf(", \"time\""));
                results.append(results.isEmpty() ? "" : ",").append('"').append(name).append("\": ").append(result);
            }
        }
        batches.add(methods);
        return ok("{\"result\": {" + results + "}, \"result_error\": {" + errors + "}, \"result_total\": [], "
                + "\"result_next\": [], \"result_time\": {}}");
    }

    private static String bodyText(MockResponse response) {
        okio.Buffer buffer = new okio.Buffer();
        try {
            response.getBody().writeTo(buffer);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buffer.readUtf8();
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
