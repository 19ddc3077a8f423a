package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the box sends by itself (§3): the install (ONAPPINSTALL to the install handler), OnExternalCallStart after
 * a click on a number (the box registers the call first: CALL_ID in data) and OnExternalCallBackStart for a
 * callback form — queued as the box queues them (data, the user they are tied to, the application token) and
 * handed to the deployment's {@link EventSender}, which mints the tokens and delivers.
 */
final class OutgoingEvents {

    private final CrmState state;
    private final Application app;
    private final EventSender sender;
    private final Settings settings;
    private volatile String outboundWebhookCode = Application.random(16);

    OutgoingEvents(CrmState state, Application app, EventSender sender, Settings settings) {
        this.state = state;
        this.app = app;
        this.sender = sender;
        this.settings = settings;
    }

    String outboundWebhookCode() {
        return outboundWebhookCode;
    }

    void outboundWebhookCode(String code) {
        this.outboundWebhookCode = code;
    }

    /** Binds an outbound webhook for an event: its deliveries carry {@link #outboundWebhookCode()}. */
    int bindOutboundWebhook(String event, String handler) {
        return state.tx(s -> {
            EventBinding b = new EventBinding(s.next("binding"), event.toUpperCase(java.util.Locale.ROOT), handler,
                    "", EventBinding.Kind.OUTBOUND_WEBHOOK, 1, s.now());
            s.bindings.put(b.id(), b);
            return b.id();
        });
    }

    /**
     * Installs the application (user 1, the administrator, installs it; it counts as installed at once) and queues
     * ONAPPINSTALL with a refresh token (rest_provider.php:107-150) for the install handler. Without a handler
     * nothing is POSTed, the tokens are still issued (as the install page's OAuth flow would). The tokens are null
     * when the deployment could not issue any (air-gapped: no OAuth server).
     */
    Installation install(String handler) {
        String target = handler == null || handler.isBlank() ? settings.installHandler() : handler;
        if (target != null && !target.isBlank()) {
            settings.installHandler(target);
        }
        String appToken = app.install();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("VERSION", "1");
        data.put("ACTIVE", "Y");
        data.put("INSTALLED", "Y");
        data.put("LANGUAGE_ID", "en");
        EventSender.Sent sent = sender.send(new EventSender.Outgoing("ONAPPINSTALL",
                target == null || target.isBlank() ? null : target, null, EventBinding.Kind.APPLICATION, data, 1,
                true, appToken));
        return new Installation(sent.tokens(), appToken, sent.delivery());
    }

    /**
     * A user clicked a number (or dialled in Bitrix24) with this application as their outgoing line:
     * {@code Helper::startCall} (voximplant/lib/rest/helper.php:884-960) registers an outgoing call for them —
     * CRM_CREATE from the line's CRM_AUTO_CREATE (Y without a line), no card (the dialer did not ask), no
     * EXTERNAL_CALL_ID, the 30-minute re-registration rule as for any register — and sends OnExternalCallStart with
     * EXTENSION the dialled number's extension ({@code Parser::stripExtension}, :918). Only handlers of the line's
     * owner get it ({@code CVoxImplantRestService::filterApp}): the application, or outbound webhooks for a line a
     * webhook registered.
     */
    Dispatch clickToCall(int userId, String phone, String lineNumber, EntityType type, Integer entityId) {
        String line = lineNumber == null ? "" : lineNumber.strip();
        record Started(Map<String, Object> data, String owner) {
        }
        Started started = state.tx(s -> {
            s.user(userId).filter(User::active)
                    .orElseThrow(() -> new IllegalArgumentException("user " + userId + " is unknown or inactive"));
            if (PhoneNumbers.stripLetters(phone).isEmpty()) {
                throw new IllegalArgumentException("phone must hold digits: " + phone);
            }
            java.util.Optional<ExternalLine> known = line.isEmpty() ? java.util.Optional.empty()
                    : TelephonyLines.find(s, line);
            String owner = known.map(ExternalLine::owner).orElse(app.principal());
            boolean crmCreate = known.map(ExternalLine::crmAutoCreate).orElse(true);
            CallRegistration.Registered r = CallRegistration.register(s, new CallRegistration.Request(owner, userId,
                    phone, 1, line, null, null, crmCreate, "", type != null && entityId != null,
                    type == null ? "" : type.name(), entityId, false, "click-to-call"));
            Map<String, Object> answer = r.call().registerResult(r.again());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("PHONE_NUMBER", phone);
            d.put("PHONE_NUMBER_INTERNATIONAL", PhoneNumbers.international(phone));
            d.put("EXTENSION", PhoneNumbers.extension(phone));
            d.put("USER_ID", userId);
            d.put("CALL_LIST_ID", 0);
            d.put("LINE_NUMBER", line);
            d.put("IS_MOBILE", false);
            d.put("CALL_ID", answer.get("CALL_ID"));
            d.put("CRM_ENTITY_TYPE", answer.get("CRM_ENTITY_TYPE"));
            d.put("CRM_ENTITY_ID", answer.get("CRM_ENTITY_ID"));
            d.put("CRM_CREATED_LEAD", answer.get("CRM_CREATED_LEAD"));
            d.put("CRM_CREATED_ENTITIES", answer.get("CRM_CREATED_ENTITIES"));
            return new Started(d, owner);
        });
        return new Dispatch((String) started.data().get("CALL_ID"),
                send("ONEXTERNALCALLSTART", started.data(), started.owner(), userId));
    }

    /**
     * A visitor asked for a callback in a CRM form: {@code Helper::startCallBack} (helper.php:968-990) with the
     * form's entity (or the client found by number, or the lead the form made) and the text to speak. No user is
     * behind it, so the event carries no tokens (_includes/auth-params-in-events.md).
     */
    Dispatch callback(String phone, String text, String lineNumber, EntityType type, Integer entityId) {
        return callback(phone, text, lineNumber, type, entityId, true);
    }

    /**
     * @param findOrCreate without a named entity: the client found by the number, else a new lead (the emulator's
     *                     choice for a form that made one); false: the form's result named none, and the event
     *                     carries an empty CRM_ENTITY_TYPE (customData of OnCrmCallbackFormSubmitted,
     *                     vi_crm_helper.php:1229-1260)
     */
    Dispatch callback(String phone, String text, String lineNumber, EntityType type, Integer entityId,
                      boolean findOrCreate) {
        String line = lineNumber == null ? "" : lineNumber.strip();
        record Asked(Map<String, Object> data, String owner) {
        }
        Asked asked = state.tx(s -> {
            String code = PhoneNumbers.matchCode(phone);
            if (code.isEmpty()) {
                throw new IllegalArgumentException("phone must hold digits: " + phone);
            }
            CrmEntity entity = type != null && entityId != null ? s.entity(type, entityId).orElse(null)
                    : !findOrCreate ? null
                    : s.client(code).orElseGet(() -> s.addEntity(EntityType.LEAD, null, Map.of(
                            "TITLE", "CRM form: callback " + phone, "SOURCE_ID", "CALLBACK",
                            "PHONE", List.of(Map.of("VALUE", phone, "VALUE_TYPE", "WORK"))), 1));
            String owner = line.isEmpty() ? app.principal()
                    : TelephonyLines.find(s, line).map(ExternalLine::owner).orElse(app.principal());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("PHONE_NUMBER", phone);
            d.put("TEXT", text == null ? "" : text);
            d.put("VOICE", "");
            d.put("CRM_ENTITY_TYPE", entity == null ? "" : entity.type().name());
            d.put("CRM_ENTITY_ID", entity == null ? null : entity.id());
            d.put("LINE_NUMBER", line);
            return new Asked(d, owner);
        });
        return new Dispatch(null, send("ONEXTERNALCALLBACKSTART", asked.data(), asked.owner(), null));
    }

    /**
     * Queues the event for every handler of the owner bound for it: the application's handlers only once it is
     * installed (§3), outbound webhooks with their authentication code.
     */
    private List<CompletableFuture<Delivery>> send(String event, Map<String, Object> data, String owner, Integer userId) {
        EventBinding.Kind kind = owner.equals(app.principal()) ? EventBinding.Kind.APPLICATION
                : EventBinding.Kind.OUTBOUND_WEBHOOK;
        List<EventBinding> targets = state.tx(s -> s.bindings.values().stream()
                .filter(b -> b.event().equals(event) && b.kind() == kind).toList());
        List<CompletableFuture<Delivery>> out = new ArrayList<>();
        for (EventBinding b : targets) {
            if (kind == EventBinding.Kind.APPLICATION && !app.installed()) {
                continue;
            }
            String appToken = kind == EventBinding.Kind.APPLICATION ? app.applicationToken() : outboundWebhookCode;
            out.add(sender.send(new EventSender.Outgoing(event, b.handler(), b.id(), kind, data, userId, false,
                    appToken)).delivery());
        }
        return out;
    }
}
