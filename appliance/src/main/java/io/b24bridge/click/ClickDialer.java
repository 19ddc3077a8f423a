package io.b24bridge.click;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.calls.DialValues;
import io.b24bridge.pbx.OriginateRequest;
import io.b24bridge.pbx.OriginateResult;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.settings.ClickToCall;
import io.b24bridge.settings.Settings;

/**
 * Click-to-call and the Bitrix24 dialer: acts on a stored {@code OnExternalCallStart} (subscribed on the inbox) by
 * ringing the clicking user's phone through AMI, which then dials the client through the outbound route
 * ({@code [b24bridge-click]} in docs/asterisk/b24bridge.conf). The call carries the event's CALL_ID
 * ({@code B24_CALL_ID}): the call spine finishes it under that id and never registers it again.
 *
 * <p>Refused, with a log line and a trace in /health and no Originate: click-to-call off, a garbled event or number, a
 * number or extension in the exceptions, a user without an inner number, a click too old to ring for. A click with a
 * CALL_ID already acted on (a repeat) is dropped. The Originate's outcome (the operator took it or not) is kept with
 * the click; the call's own ending is told to Bitrix24 by the spine.
 */
public final class ClickDialer implements BoxEvent.Listener {

    private static final Logger LOG = Logger.getLogger(ClickDialer.class.getName());
    /** The product's dialplan context an originated click continues in once the operator answers. */
    public static final String CLICK_CONTEXT = "b24bridge-click";
    /** A click older than this is not rung for: the user gave up on it long ago (e.g. it waited for a restart). */
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** The CRM name of the clicked entity, for the caller ID the operator sees; empty when not known. */
    public interface ClientNames {
        Optional<String> nameOf(String entityType, int entityId);

        ClientNames NONE = (type, id) -> Optional.empty();
    }

    /** Sends an Originate to a PBX ({@code PbxRegistry::originate}). */
    public interface Originator {
        CompletableFuture<OriginateResult> originate(String pbxId, OriginateRequest request);
    }

    private final Supplier<Settings> settings;
    private final CrmDirectory crm;
    private final Originator pbx;
    private final String pbxId;
    private final ClickCalls calls;
    private final ClickHealth health;
    private final Clock clock;
    private final ClientNames names;

    public ClickDialer(Supplier<Settings> settings, CrmDirectory crm, Originator pbx, String pbxId, ClickCalls calls,
                       ClickHealth health, Clock clock) {
        this(settings, crm, pbx, pbxId, calls, health, clock, ClientNames.NONE);
    }

    /** @param names the CRM name of the client the click is about, shown with the number on the operator's phone */
    public ClickDialer(Supplier<Settings> settings, CrmDirectory crm, Originator pbx, String pbxId, ClickCalls calls,
                       ClickHealth health, Clock clock, ClientNames names) {
        this.names = names;
        this.settings = settings;
        this.crm = crm;
        this.pbx = pbx;
        this.pbxId = pbxId;
        this.calls = calls;
        this.health = health;
        this.clock = clock;
    }

    @Override
    public void onEvent(BoxEvent event) throws Exception {
        Instant now = clock.instant();
        ClickRequest click;
        try {
            click = ClickRequest.of(event.data());
        } catch (ClickRequest.Refused e) {
            refuse(event, null, e.getMessage());
            return;
        }
        Settings s = settings.get();
        ClickToCall c2c = s.clickToCall();
        if (!c2c.enabled()) {
            refuse(event, click, "click-to-call is off in the settings (click-to-call.enabled)");
            return;
        }
        if (s.exceptions().ignoresNumber(click.number()) || s.exceptions().ignoresNumber("+" + click.number())) {
            refuse(event, click, "the number " + click.number() + " is in the exceptions");
            return;
        }
        Duration age = Duration.between(event.receivedAt(), now);
        if (age.compareTo(MAX_AGE) > 0) {
            refuse(event, click, "it arrived " + age.toSeconds() + " s ago: too late to ring the operator");
            return;
        }
        Optional<CrmDirectory.Person> who;
        try {
            who = crm.person(click.userId(), s.routing().mobileField());
        } catch (CrmDirectory.Unavailable e) {
            // the inbox tries again in 1, 2, 4… s; MAX_AGE refuses it once the user cannot be waiting any more
            throw new IllegalStateException("the box did not say who user " + click.userId() + " is: "
                    + e.getMessage(), e);
        }
        String inner = who.map(CrmDirectory.Person::extension).orElse(null);
        if (inner == null || inner.isBlank()) { // the directory holds the active users with an inner number
            refuse(event, click, "user " + click.userId() + " has no inner number (UF_PHONE_INNER) in Bitrix24 "
                    + "(or is not active): there is no phone to ring");
            return;
        }
        if (DialValues.extension(inner).isEmpty()) { // the one check of what meets a dial string
            refuse(event, click, "user " + click.userId() + "'s inner number '" + DialValues.printable(inner)
                    + "' is not an extension (2 to 8 digits)");
            return;
        }
        String extension = inner.strip();
        if (s.exceptions().ignoresExtension(extension)) {
            refuse(event, click, "extension " + extension + " is in the exceptions");
            return;
        }
        OriginateRequest request;
        try {
            request = request(click, extension, s, clientName(event));
        } catch (IllegalArgumentException e) { // the Originate's own check of what reaches the PBX
            refuse(event, click, "the PBX would not be given this: " + e.getMessage());
            return;
        }
        if (!calls.claim(click, extension, now)) {
            health.repeat();
            LOG.info(() -> "click-to-call " + click.callId() + " came again (inbox " + event.id() + "): already acted "
                    + "on, not rung twice");
            return;
        }
        LOG.info(() -> "click-to-call " + click.callId() + ": user " + click.userId() + " (" + extension + ") calls "
                + click.number() + "; ringing " + request.channel());
        health.originated(event.receivedAt());
        pbx.originate(pbxId, request).whenComplete((result, failure) -> settled(click, result, failure));
    }

    /** The Originate: the operator's phone first, then [b24bridge-click] dials the client in the outbound context. */
    static OriginateRequest request(ClickRequest click, String extension, Settings s) {
        return request(click, extension, s, "");
    }

    /**
     * The client's CRM name from the event's entity (CRM_ENTITY_TYPE, CRM_ENTITY_ID: the box bound the call when it
     * registered it), as a caller ID may carry it; empty when the event names none or the box does not say.
     */
    private String clientName(BoxEvent event) {
        String type = event.data().getOrDefault("CRM_ENTITY_TYPE", "").strip();
        String id = event.data().getOrDefault("CRM_ENTITY_ID", "").strip();
        if (!type.matches("LEAD|CONTACT|COMPANY|DEAL") || !id.matches("[1-9][0-9]{0,9}")) {
            return "";
        }
        try {
            return names.nameOf(type, Integer.parseInt(id)).map(ClickDialer::safeName).orElse("");
        } catch (RuntimeException e) { // the name is a courtesy: the phone rings without it
            LOG.fine(() -> "no CRM name for " + type + " " + id + ": " + e);
            return "";
        }
    }

    /** A name as a caller ID may carry it: letters, digits, spaces, dots and dashes, 40 at most. */
    static String safeName(String name) {
        String s = name == null ? "" : name.replaceAll("[^\\p{L}\\p{N} .-]", "").strip();
        return s.length() > 40 ? s.substring(0, 40).strip() : s;
    }

    static OriginateRequest request(ClickRequest click, String extension, Settings s, String clientName) {
        ClickToCall c2c = s.clickToCall();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("B24_CALL_ID", click.callId());
        vars.put("B24_NUMBER", click.number());
        vars.put("B24_OPERATOR", extension);
        vars.put("B24_CONTEXT", c2c.originateContext());
        vars.put("B24_CLIENT_RING", String.valueOf(c2c.clientRingTimeoutSeconds()));
        if (!click.lineNumber().isEmpty()) {
            vars.put("B24_LINE", click.lineNumber());
        }
        String callerId = c2c.callerId() != null ? c2c.callerId()
                : clientName.isEmpty() ? click.number() : "\"" + clientName + "\" <" + click.number() + ">";
        return new OriginateRequest(s.routing().extensionDial().replace("{extension}", extension), CLICK_CONTEXT,
                click.number(), 1, Optional.of(callerId), Duration.ofSeconds(c2c.operatorRingTimeoutSeconds()),
                Optional.empty(), vars);
    }

    private void settled(ClickRequest click, OriginateResult result, Throwable failure) {
        Instant at = clock.instant();
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            String why = "the PBX could not originate it: " + cause.getMessage();
            calls.settle(click.callId(), ClickCalls.State.FAILED, why, at);
            health.failed(click.callId(), click.userId(), why, at);
            LOG.warning("click-to-call " + click.callId() + ": " + why);
        } else if (result.success()) {
            calls.settle(click.callId(), ClickCalls.State.RINGING_CLIENT, "the operator answered", at);
        } else {
            calls.settle(click.callId(), ClickCalls.State.NOT_TAKEN, "the operator's phone: " + result.message(), at);
            LOG.info(() -> "click-to-call " + click.callId() + ": the operator's phone " + result.message()
                    + "; the client was not called");
        }
    }

    private void refuse(BoxEvent event, ClickRequest click, String why) {
        String callId = click == null ? DialValues.printable(event.data().getOrDefault("CALL_ID", "?"))
                : click.callId();
        int user = click == null ? 0 : click.userId();
        LOG.warning("click-to-call " + callId + " (inbox " + event.id() + ", user " + user + ") refused, no call "
                + "made: " + why);
        health.refused(callId, user, why, clock.instant());
    }
}
