package io.b24bridge.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.settings.FieldError;

/** Writes JSON answers and the API's one error shape: {@code {"error": "...", "errors": [{field, reason}]}}. */
final class JsonResponses {

    private final ObjectMapper mapper;

    JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void send(ServerResponse res, Status status, Object body) {
        try {
            res.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void sendText(ServerResponse res, Status status, String contentType, String body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, contentType)
                .header(HeaderNames.CACHE_CONTROL, "no-store") // settings are nobody's cache's business
                .send(body);
    }

    /**
     * The request's body as a JSON object, or empty after answering 400 (not JSON, not an object). An empty body
     * is an empty object.
     */
    Optional<JsonNode> object(ServerRequest req, ServerResponse res) {
        byte[] body = req.content().as(byte[].class);
        if (body.length == 0) {
            return Optional.of(mapper.createObjectNode());
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                return Optional.of(node);
            }
        } catch (IOException e) {
            // answered below
        }
        error(res, Status.BAD_REQUEST_400, "the body must be a JSON object");
        return Optional.empty();
    }

    /** A text field of a JSON object, or null when absent; 400 answered (and null) when it is not text. */
    static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : null;
    }

    void error(ServerResponse res, Status status, String message) {
        send(res, status, Map.of("error", message));
    }

    void invalid(ServerResponse res, String message, List<FieldError> errors) {
        send(res, Status.BAD_REQUEST_400, Map.of("error", message, "errors", errors));
    }
}
