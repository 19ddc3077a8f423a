package io.b24bridge.bitrix.events;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.auth.Tokens;

/**
 * The listener of the install event ({@code ONAPPINSTALL}); an install is taken only when the {@link InstallGate}
 * lets it (an administrator armed installation, and something vouches for the event). From the cloud (application
 * auth): the application's first tokens and its application token, which every later event must carry; the gate
 * judged it at the door ({@link BoxEventsService}, proof: the box's {@code app.info} on the event's token), so that a
 * refused one was never stored, and only what it took reaches this listener. From the b24bridge module: the module
 * (re)installed its application; the event came through the module's mutual TLS with the appliance's credential,
 * which only the box holds (proof {@link InstallGate.Proof#MODULE}); the appliance's tokens come from the module's
 * token endpoint, so no token is taken either way — a refusal is logged and audited, and changes nothing.
 */
public final class Installs implements BoxEvent.Listener {

    private static final Logger LOG = Logger.getLogger(Installs.class.getName());

    /** The event the appliance acts on that the application binds itself ({@code event.bind}) after its install. */
    static final String CLICK_EVENT = "OnExternalCallStart";
    /** Website callback forms through the application's line: bound alike now that callbacks act on it. */
    static final String CALLBACK_EVENT = "OnExternalCallBackStart";

    private final BoxClient client;
    private final EventInbox inbox;
    private final InstallGate gate;
    private final Optional<URI> eventsUrl;

    public Installs(BoxClient client, EventInbox inbox, InstallGate gate) {
        this(client, inbox, gate, Optional.empty());
    }

    /**
     * @param eventsUrl where Bitrix's cloud queue reaches the appliance's {@code /bitrix24/events} (the site's edge
     *                  proxy; {@code bitrix24.application.events-url}): click-to-call is bound there after the install
     */
    public Installs(BoxClient client, EventInbox inbox, InstallGate gate, Optional<URI> eventsUrl) {
        this.client = client;
        this.inbox = inbox;
        this.gate = gate;
        this.eventsUrl = eventsUrl;
    }

    @Override
    public void onEvent(BoxEvent e) {
        Map<String, String> auth = new LinkedHashMap<>(inbox.auth(e.id()));
        inbox.secrets(e.id()).forEach((k, v) -> auth.put(k, v.revealString()));
        if (e.source().equals("module")) {
            Tokens presented = BoxEventsService.tokens(auth, e.receivedAt()).orElseGet(() -> new Tokens(null, null,
                    e.receivedAt(), null, auth.getOrDefault("member_id", ""), auth.getOrDefault("domain", ""),
                    "", "", "install"));
            if (gate.judge(presented, InstallGate.Proof.MODULE).taken()) {
                LOG.info("the b24bridge module installed its application on the box (again): its events come through "
                        + "the module's queue, the appliance's tokens from its token endpoint");
            }
            return;
        }
        Optional<Tokens> tokens = BoxEventsService.tokens(auth, e.receivedAt());
        if (tokens.isEmpty()) {
            LOG.warning("install event " + e.id() + " has no tokens: nothing to install");
            return;
        }
        client.installed(tokens.get());
        eventsUrl.ifPresent(url -> {
            bind(CLICK_EVENT, url);
            bind(CALLBACK_EVENT, url);
        });
    }

    /**
     * Binds {@code event} (OnExternalCallStart, OnExternalCallBackStart) to the appliance's public events URL, unless
     * it is bound there: the box sends clicks and callback forms only to an application that bound them (and then
     * offers the application as an outgoing line). A failure is logged: calls go on, clicks and callbacks do not come
     * until the application is installed again.
     */
    private void bind(String event, URI url) {
        CrmApi crm = new CrmApi(client);
        try {
            if (crm.boundEvents().getOrDefault(event.toUpperCase(java.util.Locale.ROOT), List.of())
                    .contains(url.toString())) {
                return;
            }
            crm.bindEvent(event, url.toString());
            LOG.info(event + " bound to " + url);
        } catch (BoxException e) {
            LOG.warning(event + " could not be bound to " + url + " (" + e.getMessage()
                    + "): it will not reach this appliance; install the application again");
        }
    }
}
