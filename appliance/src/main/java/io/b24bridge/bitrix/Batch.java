package io.b24bridge.bitrix;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Up to 50 commands in one {@code batch} request (contract §1): {@code cmd[key]=method?params}. A later
 * command may use an earlier one's answer as {@code $result[key][FIELD]}.
 */
public final class Batch {

    public static final int MAX_COMMANDS = 50;

    private final Map<String, String> commands = new LinkedHashMap<>();

    public Batch add(String key, String method, Params params) {
        if (commands.size() == MAX_COMMANDS) {
            throw new IllegalStateException("a batch holds at most " + MAX_COMMANDS + " commands");
        }
        if (!key.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("batch key must be letters, digits, _: " + key);
        }
        commands.put(key, method + "?" + params.encode());
        return this;
    }

    public int size() {
        return commands.size();
    }

    Params params(boolean halt) {
        return Params.of().put("halt", halt ? 1 : 0).put("cmd", new LinkedHashMap<>(commands));
    }

    /**
     * The answers: per key either a result or an error.
     *
     * @param results per key, the command's {@code result}
     * @param errors  per key, the command's error as the box gave it ({@code error}, {@code error_description})
     */
    public record Result(Map<String, JsonNode> results, Map<String, Error> errors) {

        /** One command's error. */
        public record Error(String code, String description) {
        }

        static Result of(JsonNode batchResult) {
            Map<String, JsonNode> results = new LinkedHashMap<>();
            Map<String, Error> errors = new LinkedHashMap<>();
            JsonNode r = batchResult.path("result");
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                results.put(e.getKey(), e.getValue());
            }
            JsonNode errs = batchResult.path("result_error");
            for (Iterator<Map.Entry<String, JsonNode>> it = errs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                errors.put(e.getKey(), new Error(e.getValue().path("error").asText(""),
                        e.getValue().path("error_description").asText("")));
            }
            return new Result(results, errors);
        }
    }
}
