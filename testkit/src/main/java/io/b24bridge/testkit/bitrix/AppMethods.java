package io.b24bridge.testkit.bitrix;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * event.bind / event.get / event.unbind and app.info (§3, §4), as the box's rest module does them
 * ({@code rest/lib/api/event.php}, {@code rest/lib/handlerhelper.php}, {@code rest/classes/general/rest_provider.php}).
 */
final class AppMethods {

    /** Events the box knows; the emulator itself sends the telephony ones (and ONAPPINSTALL to the installer). */
    static final Set<String> KNOWN_EVENTS = Set.of("ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART", "ONAPPINSTALL",
            "ONAPPUNINSTALL", "ONAPPUPDATE", "ONCRMLEADADD", "ONCRMLEADUPDATE", "ONCRMCONTACTADD",
            "ONCRMCONTACTUPDATE", "ONCRMCOMPANYADD", "ONCRMCOMPANYUPDATE", "ONCRMACTIVITYADD", "ONTASKADD",
            "ONTASKUPDATE", "ONVOXIMPLANTCALLINIT", "ONVOXIMPLANTCALLSTART", "ONVOXIMPLANTCALLEND");

    private final CrmState state;
    private final Application app;

    AppMethods(CrmState state, Application app) {
        this.state = state;
        this.app = app;
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
        checkHandler(handler);
        EventBinding.Kind kind = kind(inv.caller());
        String authType = inv.args().text("auth_type");
        return state.tx(s -> {
            boolean dup = s.bindings.values().stream().anyMatch(b -> b.kind() == kind && b.event().equals(event)
                    && b.handler().equals(handler));
            if (dup) {
                // rest/lib/api/event.php:288-293 wraps the event table's "Handler already binded" (rest/lib/event.php:221)
                throw RestError.of("ERROR_CORE", "Unable to set event handler: Handler already binded");
            }
            EventBinding b = new EventBinding(s.next("binding"), event, handler, authType, kind,
                    inv.caller().userId(), s.now());
            s.bindings.put(b.id(), b);
            return Reply.of(true);
        });
    }

    /**
     * A handler URL must parse with a host that holds a dot and an http(s) scheme ({@code handlerhelper.php:31-51}):
     * {@code http://10.0.0.5/…} passes, {@code http://localhost/…} does not.
     */
    private static void checkHandler(String handler) {
        URI u;
        try {
            u = URI.create(handler);
        } catch (IllegalArgumentException e) {
            throw RestError.of("ERROR_WRONG_HANDLER_URL", "Wrong handler URL");
        }
        if (u.getHost() == null || !u.getHost().contains(".")) {
            throw RestError.of("ERROR_WRONG_HANDLER_URL", "Wrong handler URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) && !"http".equalsIgnoreCase(u.getScheme())) {
            throw RestError.of("ERROR_UNSUPPORTED_PROTOCOL", "Unsupported event handler protocol");
        }
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

    /**
     * A webhook gets {@code {SCOPE, LICENSE}}; the application its row. A box without the bitrix24 module has no
     * LICENSE_TYPE/LICENSE_FAMILY and calls its licence {@code <lang>_selfhosted} (rest_provider.php:533-590).
     */
    Reply info(Invocation inv) {
        if (inv.caller().webhook()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("SCOPE", new ArrayList<>(new java.util.TreeSet<>(inv.caller().scopes())));
            w.put("LICENSE", "en_selfhosted");
            return Reply.of(w);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", Application.ID);
        m.put("CODE", app.clientId);
        m.put("VERSION", 1);
        m.put("STATUS", "L");
        m.put("INSTALLED", app.installed());
        m.put("PAYMENT_EXPIRED", "N");
        m.put("DAYS", null);
        m.put("LANGUAGE_ID", "en");
        m.put("LICENSE", "en_selfhosted");
        return Reply.of(m);
    }
}
