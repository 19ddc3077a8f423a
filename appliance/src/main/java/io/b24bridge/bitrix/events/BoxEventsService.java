package io.b24bridge.bitrix.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import java.util.regex.Pattern;

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
 * The install event brings the first tokens and the application token, once the {@link InstallGate} lets it (armed
 * by an administrator, vouched for by the box); every later event must carry that
 * application token ({@code auth[application_token]}) or it is refused. Tokens a later event carries are not
 * taken up: they belong to whoever caused it (the user who clicked), and a telephony event has no refresh token
 * anyway (box: rest/lib/event/sender.php) — the application keeps its own identity. An event taken already, or
 * whose {@code ts} is far from now, is refused ({@link ReplayGuard}); a form no box would send is a 400. The answer
 * comes at once; listeners do their work elsewhere (the cloud queue does not retry, so nothing slow happens here).
 */
public final class BoxEventsService implements HttpService {

    private static final Logger LOG = Logger.getLogger(BoxEventsService.class.getName());

    /** An event name as the box writes them ({@code ONEXTERNALCALLSTART}); anything else is not an event. */
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Z0-9_]{1,64}");
    /** The longest an access token is believed to live, whatever the sender says: Bitrix24's live one hour. */
    static final Duration LONGEST_TOKEN_LIFE = Duration.ofDays(1);

    private final BoxClient client;
    private final Optional<Secret> webhookEventsToken;
    private final Clock clock;
    private final ReplayGuard replays;
    private final InstallGate gate;
    private final List<BoxEvent.Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param webhookEventsToken in webhook mode: the outbound webhook's authentication code that events carry
     */
    /** @param gate decides whether an install event may replace the tokens */
    public BoxEventsService(BoxClient client, Optional<Secret> webhookEventsToken, InstallGate gate) {
        this(client, webhookEventsToken, gate, Clock.systemUTC());
    }

    BoxEventsService(BoxClient client, Optional<Secret> webhookEventsToken, InstallGate gate, Clock clock) {
        this.client = client;
        this.webhookEventsToken = webhookEventsToken;
        this.gate = gate;
        this.clock = clock;
        this.replays = new ReplayGuard(clock);
    }

    public InstallGate gate() {
        return gate;
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
        Map<String, Object> form;
        try {
            form = FormData.parse(new String(req.content().as(byte[].class), StandardCharsets.UTF_8));
        } catch (FormData.Malformed e) {
            LOG.warning("a malformed event form was refused: " + e.getMessage());
            res.status(Status.BAD_REQUEST_400).send("malformed form: " + e.getMessage());
            return;
        }
        String event = FormData.text(form, "event").toUpperCase(Locale.ROOT);
        Map<String, Object> auth = FormData.section(form, "auth");
        if (event.isEmpty()) {
            res.status(Status.BAD_REQUEST_400).send("no event");
            return;
        }
        if (!EVENT_NAME.matcher(event).matches()) {
            LOG.warning(() -> "an event named '" + FormData.printable(event) + "' was refused: not an event name");
            res.status(Status.BAD_REQUEST_400).send("not an event name");
            return;
        }
        if (event.equals(BoxEvent.APP_INSTALL)) {
            install(auth, res);
            return;
        }
        if (!authentic(FormData.text(auth, "application_token"))) {
            LOG.warning(() -> "event " + event + " with a wrong or missing application token: refused");
            res.status(Status.UNAUTHORIZED_401).send("wrong application token");
            return;
        }
        Optional<String> replay = replays.check(event, FormData.text(form, "ts"), FormData.section(form, "data"));
        if (replay.isPresent()) {
            LOG.warning(() -> "event " + event + " refused: " + replay.get());
            res.status(Status.CONFLICT_409).send(replay.get());
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

    private void install(Map<String, Object> auth, ServerResponse res) {
        Optional<Tokens> tokens;
        try {
            tokens = tokens(auth, "install");
        } catch (FormData.Malformed e) {
            LOG.warning("a malformed install event was refused: " + e.getMessage());
            res.status(Status.BAD_REQUEST_400).send("malformed form: " + e.getMessage());
            return;
        }
        if (tokens.isEmpty() || tokens.get().applicationToken() == null) {
            LOG.warning("install event without tokens or application token: refused");
            res.status(Status.BAD_REQUEST_400).send("install event without auth[access_token], "
                    + "auth[refresh_token] and auth[application_token]");
            return;
        }
        InstallGate.Decision d = gate.judge(tokens.get(), InstallGate.Proof.APP_INFO);
        if (!d.taken()) {
            res.status(Status.FORBIDDEN_403).send("install refused: " + d.reason());
            return;
        }
        client.installed(tokens.get());
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

    private Optional<Tokens> tokens(Map<String, Object> auth, String source) {
        String access = FormData.text(auth, "access_token");
        String refresh = FormData.text(auth, "refresh_token");
        if (access.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        String app = FormData.text(auth, "application_token");
        return Optional.of(new Tokens(Secret.of(access), Secret.of(refresh), expiry(auth),
                app.isEmpty() ? null : Secret.of(app), FormData.text(auth, "member_id"),
                FormData.text(auth, "domain"), FormData.text(auth, "server_endpoint"),
                FormData.text(auth, "client_endpoint"), source));
    }

    /**
     * When the access token expires, by the sender's word, but never later than {@link #LONGEST_TOKEN_LIFE} from
     * now: a sender cannot pin tokens for ever (renewal would never happen). Bitrix24's tokens live an hour.
     */
    private Instant expiry(Map<String, Object> auth) {
        Instant now = clock.instant();
        String expiresAt = FormData.text(auth, "expires");
        String expiresIn = FormData.text(auth, "expires_in");
        if (!expiresAt.isEmpty() && !expiresAt.matches("[0-9]{1,12}")) {
            throw new FormData.Malformed("auth[expires] is not a Unix time");
        }
        if (!expiresIn.isEmpty() && !expiresIn.matches("[0-9]{1,9}")) {
            throw new FormData.Malformed("auth[expires_in] is not a number of seconds");
        }
        Instant said = !expiresAt.isEmpty() ? Instant.ofEpochSecond(Long.parseLong(expiresAt))
                : now.plusSeconds(expiresIn.isEmpty() ? 3600 : Long.parseLong(expiresIn));
        Instant latest = now.plus(LONGEST_TOKEN_LIFE);
        return said.isAfter(latest) ? latest : said;
    }
}
