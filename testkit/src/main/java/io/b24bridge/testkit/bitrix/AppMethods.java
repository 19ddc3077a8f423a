package io.b24bridge.testkit.bitrix;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** event.bind / event.get / event.unbind and app.info (§3, §4). */
final class AppMethods {

    /** Events the box knows; the emulator itself sends the telephony ones (and ONAPPINSTALL to the installer). */
    static final Set<String> KNOWN_EVENTS = Set.of("ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART", "ONAPPINSTALL",
            "ONAPPUNINSTALL", "ONAPPUPDATE", "ONCRMLEADADD", "ONCRMLEADUPDATE", "ONCRMCONTACTADD",
            "ONCRMCONTACTUPDATE", "ONCRMCOMPANYADD", "ONCRMCOMPANYUPDATE", "ONCRMACTIVITYADD", "ONTASKADD",
            "ONTASKUPDATE", "ONVOXIMPLANTCALLINIT", "ONVOXIMPLANTCALLSTART", "ONVOXIMPLANTCALLEND");

    private final CrmState state;
    private final OAuth oauth;

    AppMethods(CrmState state, OAuth oauth) {
        this.state = state;
        this.oauth = oauth;
    }

    private static EventBinding.Kind kind(Caller c) {
        return c.webhook() ? EventBinding.Kind.OUTBOUND_WEBHOOK : EventBinding.Kind.APPLICATION;
    }

    Reply bind(Invocation inv) {
        String event = inv.args().text("event").toUpperCase(Locale.ROOT);
        String handler = inv.args().text("handler");
        if (!KNOWN_EVENTS.contains(event)) {
            throw RestError.of("ERROR_EVENT_NOT_FOUND", "Event not found");
        }
        if (handler.isEmpty()) {
            throw RestError.argument("Handler is required");
        }
        try {
            URI u = URI.create(handler);
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw RestError.argument("Handler URL is not valid: " + handler);
        }
        EventBinding.Kind kind = kind(inv.caller());
        String authType = inv.args().text("auth_type");
        return state.tx(s -> {
            boolean dup = s.bindings.values().stream().anyMatch(b -> b.kind() == kind && b.event().equals(event)
                    && b.handler().equals(handler));
            if (dup) {
                throw RestError.of("ERROR_HANDLER_ALREADY_BINDED", "Handler already binded");
            }
            EventBinding b = new EventBinding(s.next("binding"), event, handler, authType, kind,
                    inv.caller().userId(), s.now());
            s.bindings.put(b.id(), b);
            return Reply.of(true);
        });
    }

    Reply get(Invocation inv) {
        EventBinding.Kind kind = kind(inv.caller());
        return state.tx(s -> {
            List<Object> out = new ArrayList<>();
            for (EventBinding b : s.bindings.values()) {
                if (b.kind() == kind) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("event", b.event());
                    m.put("handler", b.handler());
                    m.put("auth_type", b.authType().isEmpty() ? "0" : b.authType());
                    m.put("offline", 0);
                    out.add(m);
                }
            }
            return Reply.of(out);
        });
    }

    /** Unbinds the handler (or, without {@code handler}, every handler) of the event; answers the count. */
    Reply unbind(Invocation inv) {
        String event = inv.args().text("event").toUpperCase(Locale.ROOT);
        String handler = inv.args().text("handler");
        if (event.isEmpty()) {
            throw RestError.of("ERROR_EVENT_NOT_FOUND", "Event not found");
        }
        EventBinding.Kind kind = kind(inv.caller());
        return state.tx(s -> {
            int before = s.bindings.size();
            s.bindings.values().removeIf(b -> b.kind() == kind && b.event().equals(event)
                    && (handler.isEmpty() || b.handler().equals(handler)));
            return Reply.of(Map.of("count", before - s.bindings.size()));
        });
    }

    Reply info(Invocation inv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", 1);
        m.put("CODE", oauth.clientId);
        m.put("VERSION", 1);
        m.put("STATUS", "L");
        m.put("INSTALLED", oauth.installed());
        m.put("PAYMENT_EXPIRED", "N");
        m.put("DAYS", null);
        m.put("LANGUAGE_ID", "en");
        m.put("LICENSE", "selfhosted");
        m.put("LICENSE_TYPE", "selfhosted");
        m.put("LICENSE_FAMILY", "selfhosted");
        return Reply.of(m);
    }
}
