package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The b24bridge module's REST methods (box-module {@code Rest\Methods}), scope {@code b24bridge}, answered only to
 * the b24bridge application over the appliance's connection:
 * <pre>
 *   b24bridge.events.pull   wait (0–25 s, default 0), limit (1–100, default 50) → {events: [...]}
 *   b24bridge.events.ack    id (the last id processed) → {acknowledged, acked_through}
 *   b24bridge.status        → version, state, queue depth, oldest undelivered event, last pull
 *   b24bridge.call.find     EXTERNAL_CALL_ID → {calls: [...]} open or finished, oldest first
 * </pre>
 * Parameters are read strictly ({@code Rest\Params}): a bad one is {@code ERROR_ARGUMENT} naming it.
 */
final class ModuleMethods {

    static final int MAX_EXTERNAL_CALL_ID = 255;
    private static final DateTimeFormatter PHP_C = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final ConnectorModule module;
    private final CrmState state;
    private final Application app;
    private final Clock clock;

    ModuleMethods(ConnectorModule module, CrmState state, Application app, Clock clock) {
        this.module = module;
        this.state = state;
        this.app = app;
        this.clock = clock;
    }

    /** Adds the methods to the box's description (rest:OnRestServiceBuildDescription). */
    void addTo(Methods methods) {
        methods.module("b24bridge.events.pull", this::pull);
        methods.module("b24bridge.events.ack", this::ack);
        methods.module("b24bridge.status", this::status);
        methods.module("b24bridge.call.find", this::findCall);
    }

    Reply pull(Invocation inv) {
        requireAppliance(inv.caller());
        int wait = (int) number(inv.args(), "wait", 0L, 0, ModuleQueue.MAX_WAIT_SECONDS);
        int limit = (int) number(inv.args(), "limit", 50L, 1, ModuleQueue.MAX_LIMIT);
        return Reply.of(Map.of("events", module.queue.pull(Duration.ofSeconds(wait), limit)));
    }

    Reply ack(Invocation inv) {
        requireAppliance(inv.caller());
        long id = number(inv.args(), "id", null, 1, Long.MAX_VALUE);
        ModuleQueue.Ack a = module.queue.ack(id);
        if (a.error() != null) {
            throw RestError.withStatus(a.error(), a.description(), 400).with("acked_through", a.ackedThrough());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acknowledged", a.acknowledged());
        m.put("acked_through", a.ackedThrough());
        return Reply.of(m);
    }

    Reply status(Invocation inv) {
        requireAppliance(inv.caller());
        return Reply.of(module.status());
    }

    /**
     * The application's calls with the EXTERNAL_CALL_ID, open (b_voximplant_call) or finished
     * (b_voximplant_statistic), oldest first (box-module {@code Rest\CallLookup}).
     */
    Reply findCall(Invocation inv) {
        requireAppliance(inv.caller());
        Object raw = inv.args().get("EXTERNAL_CALL_ID");
        if (!(raw instanceof String id) || id.isEmpty()) {
            throw argument("Parameter EXTERNAL_CALL_ID is required and must be a single string", "EXTERNAL_CALL_ID");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_EXTERNAL_CALL_ID) {
            throw argument("Parameter EXTERNAL_CALL_ID is longer than " + MAX_EXTERNAL_CALL_ID + " bytes",
                    "EXTERNAL_CALL_ID");
        }
        List<Call> found = state.tx(s -> s.calls.values().stream()
                .filter(c -> id.equals(c.externalCallId) && c.principal.equals(app.principal()))
                .sorted(Comparator.comparing((Call c) -> c.startDate.truncatedTo(ChronoUnit.SECONDS))
                        .thenComparing(c -> c.callId))
                .toList());
        List<Map<String, Object>> calls = new ArrayList<>();
        state.tx(s -> {
            found.forEach(c -> calls.add(row(c)));
            return null;
        });
        return Reply.of(Map.of("calls", calls));
    }

    private Map<String, Object> row(Call c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("STATE", c.finished ? "FINISHED" : "OPEN");
        m.put("CALL_ID", c.callId);
        m.put("EXTERNAL_CALL_ID", c.externalCallId);
        m.put("USER_ID", c.finished && c.finishUserId != null ? c.finishUserId : c.userId);
        m.put("PHONE_NUMBER", c.callerId);
        m.put("TYPE", c.type);
        m.put("CALL_START_DATE", iso(c.startDate));
        if (c.finished) {
            m.put("DURATION", c.duration == null ? 0 : c.duration);
            m.put("STATUS_CODE", c.statusCode == null ? "" : c.statusCode);
            m.put("VOTE", c.vote);
            m.put("CRM_ENTITY_TYPE", c.crmEntityType);
            m.put("CRM_ENTITY_ID", c.crmEntityId);
            m.put("CRM_ACTIVITY_ID", c.activityId);
        }
        return m;
    }

    /** PHP's {@code date('c')}: seconds and the server's offset, {@code +00:00} for UTC (never {@code Z}). */
    private String iso(Instant at) {
        return OffsetDateTime.ofInstant(at, clock.getZone()).format(PHP_C);
    }

    /** The b24bridge application with the module's token (over the appliance's connection, which the token demands). */
    private static void requireAppliance(Caller caller) {
        if (caller.webhook() || !caller.scopes().contains("b24bridge")) {
            throw RestError.of("ACCESS_DENIED", "The b24bridge.* methods answer only the b24bridge application");
        }
    }

    /** A whole number from {@code min} to {@code max}; absent: {@code fallback}, or required when that is null. */
    private static long number(Args args, String name, Long fallback, long min, long max) {
        Object value = args.get(name);
        if (value == null || "".equals(value)) {
            if (fallback == null) {
                throw argument("Parameter " + name + " is required", name);
            }
            return fallback;
        }
        String text = value instanceof String || value instanceof Number ? value.toString() : "";
        if (!text.matches("\\d{1,19}")) {
            throw argument("Parameter " + name + " must be a whole number from " + min + " to " + max, name);
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < min || v > max) {
            throw argument("Parameter " + name + " must be a whole number from " + min + " to " + max, name);
        }
        return v;
    }

    private static RestError argument(String text, String name) {
        return RestError.of("ERROR_ARGUMENT", text).with("argument", name);
    }
}
