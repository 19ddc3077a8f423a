package io.b24bridge.bitrix.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.auth.Tokens;
import io.b24bridge.config.Secret;

/**
 * {@code POST /bitrix24/events} on the box listener: the application's event handler (contract §3).
 * The install event brings the first tokens and the application token; every later event must carry that
 * application token ({@code auth[application_token]}) or it is refused. Tokens a later event carries are not
 * taken up: they belong to whoever caused it (the user who clicked), and a telephony event has no refresh token
 * anyway (box: rest/lib/event/sender.php) — the application keeps its own identity. The answer comes at once;
 * listeners do their work elsewhere (the cloud queue does not retry, so nothing slow happens here).
 */
public final class BoxEventsService implements HttpService {

    private static final Logger LOG = Logger.getLogger(BoxEventsService.class.getName());

    private final BoxClient client;
    private final Optional<Secret> webhookEventsToken;
    private final List<BoxEvent.Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param webhookEventsToken in webhook mode: the outbound webhook's authentication code that events carry
     */
    public BoxEventsService(BoxClient client, Optional<Secret> webhookEventsToken) {
        this.client = client;
        this.webhookEventsToken = webhookEventsToken;
    }

    public void addListener(BoxEvent.Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::receive);
    }

    private void receive(ServerRequest req, ServerResponse res) {
        // the listener bounds the body (max-payload-size, chunked or not): 413 before it gets here
        Map<String, Object> form = FormData.parse(new String(req.content().as(byte[].class), StandardCharsets.UTF_8));
        String event = FormData.text(form, "event").toUpperCase(Locale.ROOT);
        Map<String, Object> auth = FormData.section(form, "auth");
        if (event.isEmpty()) {
            res.status(Status.BAD_REQUEST_400).send("no event");
            return;
        }
        if (event.equals(BoxEvent.APP_INSTALL)) {
            Optional<Tokens> tokens = tokens(auth, "install");
            if (tokens.isEmpty() || tokens.get().applicationToken() == null) {
                LOG.warning("install event without tokens or application token: refused");
                res.status(Status.BAD_REQUEST_400).send("install event without auth[access_token], "
                        + "auth[refresh_token] and auth[application_token]");
                return;
            }
            client.installed(tokens.get());
            res.send("OK");
            return;
        }
        if (!authentic(FormData.text(auth, "application_token"))) {
            LOG.warning(() -> "event " + event + " with a wrong or missing application token: refused");
            res.status(Status.UNAUTHORIZED_401).send("wrong application token");
            return;
        }
        Map<String, String> data = new LinkedHashMap<>();
        FormData.section(form, "data").forEach((k, v) -> {
            if (v instanceof String s) {
                data.put(k, s);
            }
        });
        BoxEvent boxEvent = new BoxEvent(event, Map.copyOf(data));
        if (listeners.isEmpty()) {
            LOG.info(() -> "event " + event + " received; nothing in this version acts on it yet");
        }
        for (BoxEvent.Listener l : listeners) {
            try {
                l.onEvent(boxEvent);
            } catch (RuntimeException e) {
                LOG.warning("a listener failed on event " + event + ": " + e);
            }
        }
        res.send("OK");
    }

    private boolean authentic(String presented) {
        if (presented.isEmpty()) {
            return false;
        }
        Optional<Secret> expected = client.tokens().map(Tokens::applicationToken).or(() -> webhookEventsToken);
        return expected.filter(e -> MessageDigest.isEqual(e.revealString().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    private static Optional<Tokens> tokens(Map<String, Object> auth, String source) {
        String access = FormData.text(auth, "access_token");
        String refresh = FormData.text(auth, "refresh_token");
        if (access.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        Instant expires;
        String expiresAt = FormData.text(auth, "expires");
        String expiresIn = FormData.text(auth, "expires_in");
        if (!expiresAt.isEmpty() && expiresAt.matches("\\d+")) {
            expires = Instant.ofEpochSecond(Long.parseLong(expiresAt));
        } else {
            expires = Instant.now().plusSeconds(expiresIn.matches("\\d+") ? Long.parseLong(expiresIn) : 3600);
        }
        String app = FormData.text(auth, "application_token");
        return Optional.of(new Tokens(Secret.of(access), Secret.of(refresh), expires,
                app.isEmpty() ? null : Secret.of(app), FormData.text(auth, "member_id"),
                FormData.text(auth, "domain"), FormData.text(auth, "server_endpoint"),
                FormData.text(auth, "client_endpoint"), source));
    }
}
