package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the box sends by itself (§3): the install (ONAPPINSTALL to the install handler), OnExternalCallStart
 * after a click on a number (the box registers the call first: CALL_ID in data, EXTERNAL_CALL_ID empty) and
 * OnExternalCallBackStart for a callback form. Form-encoded, {@code event}, {@code event_handler_id},
 * {@code data[...]}, {@code ts}, {@code auth[...]} with {@code auth[application_token]}.
 */
final class OutgoingEvents {

    private final CrmState state;
    private final OAuth oauth;
    private final EventDelivery delivery;
    private final Settings settings;
    private volatile String outboundWebhookCode = OAuth.random(16);

    OutgoingEvents(CrmState state, OAuth oauth, EventDelivery delivery, Settings settings) {
        this.state = state;
        this.oauth = oauth;
        this.delivery = delivery;
        this.settings = settings;
    }

    String outboundWebhookCode() {
        return outboundWebhookCode;
    }

    void outboundWebhookCode(String code) {
        this.outboundWebhookCode = code;
    }

    /** Installs the application (user 1, the administrator, installs it) and POSTs ONAPPINSTALL. */
    Installation install(String handler) {
        String target = handler == null || handler.isBlank() ? settings.installHandler() : handler;
        if (target != null && !target.isBlank()) {
            settings.installHandler(target);
        }
        String appToken = oauth.install();
        Tokens t = oauth.issue(1, "install");
        CompletableFuture<Delivery> sent = null;
        if (target != null && !target.isBlank()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("VERSION", "1");
            data.put("ACTIVE", "Y");
            data.put("INSTALLED", "Y");
            data.put("LANGUAGE_ID", "en");
            sent = delivery.deliver("ONAPPINSTALL", target, null, "install",
                    form("ONAPPINSTALL", null, data, oauth.eventAuth(t)));
        }
        return new Installation(t, appToken, sent);
    }

    /**
     * A user clicked a number in the CRM: the box registers an outgoing call for them (card shown) and tells
     * the handlers. With no CRM match and a line whose CRM_AUTO_CREATE is Y, a lead is created (§2 externalLine).
     */
    Dispatch clickToCall(int userId, String phone, String lineNumber, EntityType type, Integer entityId) {
        String line = lineNumber == null ? "" : lineNumber;
        Map<String, Object> data = state.tx(s -> {
            User user = s.user(userId).filter(User::active)
                    .orElseThrow(() -> new IllegalArgumentException("user " + userId + " is unknown or inactive"));
            if (PhoneNumbers.key(phone).isEmpty()) {
                throw new IllegalArgumentException("phone must hold digits: " + phone);
            }
            boolean autoCreate = TelephonyLines.find(s, line).map(ExternalLine::crmAutoCreate).orElse(false);
            Call call = new Call(Telephony.newCallId(s.now()), "", "click-to-call", oauth.principal(), 1, user.id(),
                    phone, line, s.now(), s.now(), autoCreate, "");
            Telephony.bindCrm(s, call, type, entityId, autoCreate, user.id());
            s.addCall(call, null); // the box's own registration: the application never registers it again
            call.show(user.id(), s.now(), "click-to-call");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("PHONE_NUMBER", phone);
            d.put("PHONE_NUMBER_INTERNATIONAL", PhoneNumbers.international(phone));
            d.put("EXTENSION", user.innerPhone() == null ? "" : user.innerPhone());
            d.put("USER_ID", String.valueOf(user.id()));
            d.put("CALL_LIST_ID", "0");
            d.put("LINE_NUMBER", line);
            d.put("IS_MOBILE", "0");
            d.put("CALL_ID", call.callId);
            d.put("CRM_ENTITY_TYPE", call.crmEntityType == null ? "" : call.crmEntityType);
            d.put("CRM_ENTITY_ID", call.crmEntityId == null ? "" : String.valueOf(call.crmEntityId));
            return d;
        });
        return new Dispatch((String) data.get("CALL_ID"), send("ONEXTERNALCALLSTART", data, userId));
    }

    /**
     * A visitor asked for a callback in a CRM form: the form's lead (or the entity named, or the client found by
     * number) goes into the event with the text to speak.
     */
    Dispatch callback(String phone, String text, String lineNumber, EntityType type, Integer entityId) {
        Map<String, Object> data = state.tx(s -> {
            String key = PhoneNumbers.key(phone);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("phone must hold digits: " + phone);
            }
            CrmEntity entity = (type != null && entityId != null ? s.entity(type, entityId) : s.client(key))
                    .orElseGet(() -> s.addEntity(EntityType.LEAD, null, Map.of(
                            "TITLE", "CRM form: callback " + phone, "SOURCE_ID", "CALLBACK",
                            "PHONE", List.of(Map.of("VALUE", phone, "VALUE_TYPE", "WORK"))), 1));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("PHONE_NUMBER", phone);
            d.put("TEXT", text == null ? "" : text);
            d.put("CRM_ENTITY_TYPE", entity.type().name());
            d.put("CRM_ENTITY_ID", String.valueOf(entity.id()));
            d.put("LINE_NUMBER", lineNumber == null ? "" : lineNumber);
            return d;
        });
        return new Dispatch(null, send("ONEXTERNALCALLBACKSTART", data, 1));
    }

    /**
     * POSTs an event to every handler bound for it. Application handlers get it only once the application is
     * installed (§3), each with freshly issued tokens; outbound webhooks get their authentication code.
     */
    private List<CompletableFuture<Delivery>> send(String event, Map<String, Object> data, int userId) {
        List<EventBinding> targets = state.tx(s -> s.bindings.values().stream()
                .filter(b -> b.event().equals(event)).toList());
        List<CompletableFuture<Delivery>> out = new ArrayList<>();
        for (EventBinding b : targets) {
            Map<String, Object> auth;
            if (b.kind() == EventBinding.Kind.APPLICATION) {
                if (!oauth.installed()) {
                    continue;
                }
                auth = oauth.eventAuth(oauth.issue(userId, "event"));
            } else {
                auth = oauth.webhookEventAuth(outboundWebhookCode);
            }
            out.add(delivery.deliver(event, b.handler(), b.id(), b.kind().name(), form(event, b.id(), data, auth)));
        }
        return out;
    }

    private Map<String, Object> form(String event, Integer handlerId, Map<String, Object> data, Map<String, Object> auth) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("event", event);
        if (handlerId != null) {
            f.put("event_handler_id", String.valueOf(handlerId));
        }
        f.put("data", data);
        f.put("ts", String.valueOf(state.now().getEpochSecond()));
        f.put("auth", auth);
        return f;
    }
}
