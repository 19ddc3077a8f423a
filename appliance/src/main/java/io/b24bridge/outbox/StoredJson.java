package io.b24bridge.outbox;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes and reads the outbox's stored payloads ({@link StoredCallState}, {@link StoredCommand}) as JSON. */
final class StoredJson {

    private final ObjectMapper mapper;

    StoredJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(Object payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
