package io.b24bridge.admin;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
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
        res.status(status).header(HeaderNames.CONTENT_TYPE, contentType).send(body);
    }

    void error(ServerResponse res, Status status, String message) {
        send(res, status, Map.of("error", message));
    }

    void invalid(ServerResponse res, String message, List<FieldError> errors) {
        send(res, Status.BAD_REQUEST_400, Map.of("error", message, "errors", errors));
    }
}
