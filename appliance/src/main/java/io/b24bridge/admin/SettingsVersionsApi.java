package io.b24bridge.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.settings.InvalidSettingsException;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsHistory;
import io.b24bridge.settings.SettingsSchema;
import io.b24bridge.settings.SettingsStore;

/**
 * The settings' versions and shape for the panel, under {@code /api/settings-meta}:
 * <ul>
 *   <li>{@code GET /schema} — each section's shape (fields, their kinds, an enum's values), for the forms;</li>
 *   <li>{@code GET /versions} — the saved versions, newest first: who, when, which sections;</li>
 *   <li>{@code GET /versions/{v}} — that version's settings and what it changed against the one before;</li>
 *   <li>{@code POST /versions/{v}/restore} — its settings become current again, as a new version (audited).</li>
 * </ul>
 */
public final class SettingsVersionsApi implements HttpService {

    private static final int MAX_VERSIONS = 200;

    private final SettingsStore store;
    private final AuditLog audit;
    private final JsonResponses json;

    public SettingsVersionsApi(SettingsStore store, AuditLog audit, ObjectMapper mapper) {
        this.store = store;
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/schema", (req, res) -> json.send(res, Status.OK_200, SettingsSchema.all()))
                .get("/versions", (req, res) -> json.send(res, Status.OK_200,
                        Map.of("current", store.current().version(), "versions", store.history().versions(MAX_VERSIONS),
                                "restorableFrom", store.history().horizon())))
                .get("/versions/{version}", this::one)
                .post("/versions/{version}/restore", this::restore);
    }

    private void one(ServerRequest req, ServerResponse res) {
        Optional<Long> v = version(req, res);
        if (v.isEmpty()) {
            return;
        }
        SettingsHistory history = store.history();
        Optional<Settings> at = history.at(v.get());
        if (at.isEmpty()) {
            json.error(res, Status.NOT_FOUND_404, "no settings version " + v.get() + " (versions before "
                    + history.horizon() + " were pruned by storage.retention.settings-history)");
            return;
        }
        Optional<Settings> before = history.before(v.get()); // empty: what came before was pruned
        Map<String, Object> sections = new LinkedHashMap<>();
        List<Map<String, Object>> changes = new java.util.ArrayList<>();
        for (Section s : Section.values()) {
            sections.put(s.key(), store.json().tree(at.get().get(s)));
            if (before.isPresent()) {
                Map<String, Object> d = SettingsDiff.between(store.json().tree(before.get().get(s)),
                        store.json().tree(at.get().get(s)), s.key());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> c = (List<Map<String, Object>>) d.get("changes");
                changes.addAll(c);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", v.get());
        body.put("sections", sections);
        body.put("changes", changes);
        body.put("previousPruned", before.isEmpty()); // then what it changed is unknown, not "nothing"
        json.send(res, Status.OK_200, body);
    }

    private void restore(ServerRequest req, ServerResponse res) {
        Optional<Long> v = version(req, res);
        if (v.isEmpty()) {
            return;
        }
        Caller c = Caller.required(req);
        try {
            Optional<Settings> s = store.restore(v.get(), c.identity().name());
            if (s.isEmpty()) {
                json.error(res, Status.NOT_FOUND_404, "no settings version " + v.get());
                return;
            }
            audit.record(c.identity(), c.address(), "settings.restore", String.valueOf(v.get()), AuditLog.Outcome.OK,
                    Map.of("version", s.get().version()));
            json.send(res, Status.OK_200, Map.of("version", s.get().version(), "restored", v.get()));
        } catch (InvalidSettingsException e) {
            audit.record(c.identity(), c.address(), "settings.restore", String.valueOf(v.get()),
                    AuditLog.Outcome.REFUSED, Map.of("fields", e.errors().size()));
            json.invalid(res, "version " + v.get() + " no longer passes today's rules", e.errors());
        }
    }

    private Optional<Long> version(ServerRequest req, ServerResponse res) {
        try {
            return Optional.of(Long.parseLong(req.path().pathParameters().get("version")));
        } catch (NumberFormatException e) {
            json.error(res, Status.BAD_REQUEST_400, "the version is a whole number");
            return Optional.empty();
        }
    }
}
