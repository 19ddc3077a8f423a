package io.b24bridge.bitrix.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
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
 * {@code POST /bitrix24/events} on the box listener: where Bitrix's cloud queue delivers the application's events on
 * a box that reaches the internet (contract §3; through the customer's edge proxy, which adds the client certificate).
 * An event is judged before anything is stored: a form no box would send is a 400; the install must bring the
 * application's tokens and pass the {@link InstallGate} (armed by an administrator, vouched for by the box), else 403;
 * every later event must carry the application token the install set ({@code auth[application_token]}), else 401;
 * an event taken already, or whose {@code ts} is far from now, is a 409 ({@link ReplayGuard}). What passes is stored
 * in the {@link EventInbox} and only then answered 200: the cloud queue never retries, so what it was told it
 * delivered must be on disk. Listeners act on it from the inbox; the install is handled before the answer, so that
 * the box's next event finds its application token in place. Tokens a later event carries are the clicking user's:
 * never stored, never used (box: rest/lib/event/sender.php; a telephony event has no refresh token anyway).
 * The listener bounds the body (max-payload-size, chunked or not): 413 before it gets here.
 */
public final class BoxEventsService implements HttpService {

    private static final Logger LOG = Logger.getLogger(BoxEventsService.class.getName());

    /** An event name as the box writes them ({@code ONEXTERNALCALLSTART}); anything else is not an event. */
    static final Pattern EVENT_NAME = Pattern.compile("[A-Z0-9_]{1,64}");
    /**
     * The largest event taken, a pulled one too: a box's events are a few hundred bytes. The box listener refuses a
     * larger POST itself (Main's max-payload-size for it is the same).
     */
    public static final int MAX_BODY = 256 * 1024;
    /** The longest an access token is believed to live, whatever the sender says: Bitrix24's live one hour. */
    static final Duration LONGEST_TOKEN_LIFE = Duration.ofDays(1);

    private final BoxClient client;
    private final Optional<Secret> webhookEventsToken;
    private final InboxHandler handler;
    private final InstallGate gate;
    private final Clock clock;
    private final ReplayGuard replays;

    /**
     * @param webhookEventsToken in webhook mode: the outbound webhook's authentication code that events carry
     * @param gate               decides whether an install event may replace the tokens
     */
    public BoxEventsService(BoxClient client, Optional<Secret> webhookEventsToken, InboxHandler handler,
                            InstallGate gate) {
        this(client, webhookEventsToken, handler, gate, Clock.systemUTC());
    }

    BoxEventsService(BoxClient client, Optional<Secret> webhookEventsToken, InboxHandler handler, InstallGate gate,
                     Clock clock) {
        this.client = client;
        this.webhookEventsToken = webhookEventsToken;
        this.handler = handler;
        this.gate = gate;
        this.clock = clock;
        this.replays = new ReplayGuard(clock);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::receive);
    }

    private void receive(ServerRequest req, ServerResponse res) {
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
        boolean install = event.equals(BoxEvent.APP_INSTALL);
        if (install) {
            if (!installTaken(auth, res)) {
                return;
            }
        } else {
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
        }
        EventInbox.Stored stored = handler.inbox().store(new EventInbox.Incoming(dedupeKey(event, form), "cloud",
                event, form));
        if (!stored.fresh()) {
            LOG.fine(() -> "event " + event + " came again (inbox " + stored.id() + "): already stored");
        } else if (install) {
            handler.handleNow(); // Installs puts the tokens in place (the gate let them in above)
        } else {
            handler.wake();
        }
        res.send("OK");
    }

    /**
     * Judges an install at the door, so that a refused one leaves nothing behind: its tokens must be there and well
     * formed, and the {@link InstallGate} must take them (which spends the arming). Answers a refusal itself.
     */
    private boolean installTaken(Map<String, Object> auth, ServerResponse res) {
        Optional<Tokens> tokens;
        try {
            tokens = tokens(auth, clock.instant());
        } catch (FormData.Malformed e) {
            LOG.warning("a malformed install event was refused: " + e.getMessage());
            res.status(Status.BAD_REQUEST_400).send("malformed form: " + e.getMessage());
            return false;
        }
        if (tokens.isEmpty() || tokens.get().applicationToken() == null) {
            LOG.warning("install event without tokens or application token: refused");
            res.status(Status.BAD_REQUEST_400).send("install event without auth[access_token], "
                    + "auth[refresh_token] and auth[application_token]");
            return false;
        }
        InstallGate.Decision d = gate.judge(tokens.get(), InstallGate.Proof.APP_INFO);
        if (!d.taken()) {
            res.status(Status.FORBIDDEN_403).send("install refused: " + d.reason());
        }
        return d.taken();
    }

    private boolean authentic(String presented) {
        if (presented.isEmpty()) {
            return false;
        }
        Optional<Secret> expected = client.tokens().map(Tokens::applicationToken).or(() -> webhookEventsToken);
        return expected.filter(e -> MessageDigest.isEqual(e.revealString().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    /**
     * An install event's tokens ({@code auth[...]}), empty without an access or a refresh token; {@code received} is
     * when it came (the expiry of {@code expires_in} counts from it). Used at the door and by {@link Installs}, which
     * installs what the door let in.
     *
     * @throws FormData.Malformed when {@code expires} or {@code expires_in} is no number
     */
    static Optional<Tokens> tokens(Map<String, ?> auth, Instant received) {
        String access = text(auth, "access_token");
        String refresh = text(auth, "refresh_token");
        if (access.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        String app = text(auth, "application_token");
        return Optional.of(new Tokens(Secret.of(access), Secret.of(refresh), expiry(auth, received),
                app.isEmpty() ? null : Secret.of(app), text(auth, "member_id"), text(auth, "domain"),
                text(auth, "server_endpoint"), text(auth, "client_endpoint"), "install"));
    }

    private static String text(Map<String, ?> map, String key) {
        return map.get(key) instanceof String s ? s : "";
    }

    /**
     * When the access token expires, by the sender's word, but never later than {@link #LONGEST_TOKEN_LIFE} after it
     * came: a sender cannot pin tokens for ever (renewal would never happen). Bitrix24's tokens live an hour.
     */
    private static Instant expiry(Map<String, ?> auth, Instant received) {
        String expiresAt = text(auth, "expires");
        String expiresIn = text(auth, "expires_in");
        if (!expiresAt.isEmpty() && !expiresAt.matches("[0-9]{1,12}")) {
            throw new FormData.Malformed("auth[expires] is not a Unix time");
        }
        if (!expiresIn.isEmpty() && !expiresIn.matches("[0-9]{1,9}")) {
            throw new FormData.Malformed("auth[expires_in] is not a number of seconds");
        }
        Instant said = !expiresAt.isEmpty() ? Instant.ofEpochSecond(Long.parseLong(expiresAt))
                : received.plusSeconds(expiresIn.isEmpty() ? 3600 : Long.parseLong(expiresIn));
        Instant latest = received.plus(LONGEST_TOKEN_LIFE);
        return said.isAfter(latest) ? latest : said;
    }

    /**
     * The cloud queue gives an event no id of its own: the same event is the same name, handler, {@code ts} and data
     * (tokens left out: each delivery mints its own). Two events alike in all of these within the same second are
     * taken for one. (An event with a {@code ts} seen already is refused before this, by the {@link ReplayGuard}; the
     * key also holds across a restart, which the guard's memory does not.) An install is always new: the gate took it
     * and spent its arming, so a repeat of it cannot get here, while two installs in the same second (a reinstall
     * with {@code replace}) are alike in all of these but their tokens.
     */
    static String dedupeKey(String event, Map<String, Object> form) {
        if (event.equals(BoxEvent.APP_INSTALL)) {
            return "cloud:install:" + UUID.randomUUID();
        }
        String canonical = event + "|" + FormData.text(form, "event_handler_id") + "|" + FormData.text(form, "ts")
                + "|" + new TreeMap<>(FormData.section(form, "data"));
        try {
            return "cloud:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
