package io.b24bridge.admin;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.settings.FieldError;
import io.b24bridge.settings.InvalidSettingsException;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.settings.VersionConflictException;

/**
 * The settings JSON API under {@code /api/settings}.
 * <ul>
 *   <li>{@code GET /} — every section and the version;</li>
 *   <li>{@code GET /{section}}, {@code PUT /{section}} — one section; the version travels in {@code ETag},
 *       and a PUT with {@code If-Match} is refused (409) when the settings moved on meanwhile;</li>
 *   <li>{@code GET /export}, {@code POST /import} — the whole settings as one document.</li>
 * </ul>
 * Refused values answer 400 with every field that is wrong and why; nothing is stored then.
 */
public final class SettingsApi implements HttpService {

    private final SettingsStore store;
    private final AuditLog audit;
    private final JsonResponses json;

    public SettingsApi(SettingsStore store, AuditLog audit, ObjectMapper mapper) {
        this.store = store;
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::all)
                .get("/export", this::export)
                .post("/import", this::importDocument)
                .get("/{section}", this::get)
                .put("/{section}", this::put);
    }

    private void all(ServerRequest req, ServerResponse res) {
        Settings s = store.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", s.version());
        Map<String, Object> sections = new LinkedHashMap<>();
        for (Section section : Section.values()) {
            sections.put(section.key(), store.json().tree(s.get(section)));
        }
        body.put("sections", sections);
        res.header(HeaderNames.ETAG, etag(s.version()));
        json.send(res, Status.OK_200, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Optional<Section> section = section(req, res);
        if (section.isEmpty()) {
            return;
        }
        Settings s = store.current();
        res.header(HeaderNames.ETAG, etag(s.version()));
        json.send(res, Status.OK_200, store.json().tree(s.get(section.get())));
    }

    private void put(ServerRequest req, ServerResponse res) {
        Optional<Section> section = section(req, res);
        if (section.isEmpty()) {
            return;
        }
        OptionalLong expected;
        try {
            expected = ifMatch(req);
        } catch (IllegalArgumentException e) {
            json.error(res, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        byte[] body = body(req, res);
        if (body == null) {
            return;
        }
        Caller c = Caller.required(req);
        JsonNode before = store.json().tree(store.current().get(section.get()));
        try {
            Settings s = store.put(section.get(), body, expected, c.identity().name());
            res.header(HeaderNames.ETAG, etag(s.version()));
            JsonNode after = store.json().tree(s.get(section.get()));
            Map<String, Object> detail = new LinkedHashMap<>(SettingsDiff.between(before, after, ""));
            detail.put("version", s.version());
            audit.record(c.identity(), c.address(), "settings.put", section.get().key(), AuditLog.Outcome.OK, detail);
            json.send(res, Status.OK_200, after);
        } catch (InvalidSettingsException e) {
            refused(c, "settings.put", section.get().key(), e);
            json.invalid(res, "invalid settings for section " + section.get().key(), e.errors());
        } catch (VersionConflictException e) {
            res.header(HeaderNames.ETAG, etag(e.actual()));
            json.error(res, Status.CONFLICT_409, e.getMessage());
        }
    }

    private void export(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"b24bridge-settings.json\"");
        res.header(HeaderNames.ETAG, etag(store.current().version()));
        json.sendText(res, Status.OK_200, "application/json", store.export());
    }

    private void importDocument(ServerRequest req, ServerResponse res) {
        byte[] body = body(req, res);
        if (body == null) {
            return;
        }
        Caller c = Caller.required(req);
        Settings old = store.current();
        try {
            Settings s = store.importDocument(body, c.identity().name());
            res.header(HeaderNames.ETAG, etag(s.version()));
            Map<String, Object> detail = new LinkedHashMap<>();
            for (Section section : Section.values()) {
                Map<String, Object> d = SettingsDiff.between(store.json().tree(old.get(section)),
                        store.json().tree(s.get(section)), section.key());
                if (!((List<?>) d.get("changes")).isEmpty()) {
                    detail.put(section.key(), d);
                }
            }
            detail.put("version", s.version());
            audit.record(c.identity(), c.address(), "settings.import", null, AuditLog.Outcome.OK, detail);
            json.send(res, Status.OK_200, Map.of("version", s.version()));
        } catch (InvalidSettingsException e) {
            refused(c, "settings.import", null, e);
            json.invalid(res, "invalid settings document", e.errors());
        }
    }

    /** A refused change is in the audit log too: which fields, not their values. */
    private void refused(Caller c, String action, String target, InvalidSettingsException e) {
        audit.record(c.identity(), c.address(), action, target, AuditLog.Outcome.REFUSED,
                Map.of("fields", e.errors().stream().map(FieldError::field).limit(SettingsDiff.MAX_CHANGES).toList()));
    }

    private Optional<Section> section(ServerRequest req, ServerResponse res) {
        String key = req.path().pathParameters().get("section");
        Optional<Section> section = Section.byKey(key);
        if (section.isEmpty()) {
            json.error(res, Status.NOT_FOUND_404, "no settings section '" + key + "'; known: "
                    + Arrays.stream(Section.values()).map(Section::key).toList());
        }
        return section;
    }

    /** The body; its size is bounded by the listener (max-payload-size), whatever its framing. */
    private byte[] body(ServerRequest req, ServerResponse res) {
        byte[] body = req.content().as(byte[].class);
        if (body.length == 0) {
            json.error(res, Status.BAD_REQUEST_400, "the body is empty: send the JSON value");
            return null;
        }
        return body;
    }

    private static OptionalLong ifMatch(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.IF_MATCH);
        if (header.isEmpty() || header.get().isBlank() || header.get().equals("*")) {
            return OptionalLong.empty();
        }
        String v = header.get().strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("If-Match must be the settings version from ETag, e.g. \"3\"");
        }
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }
}
