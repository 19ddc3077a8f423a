package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * An on-premise Bitrix24 box, emulated after the contract (shared/reference/bitrix24-contract.md): its REST API
 * for telephony and CRM, its auth (local application with OAuth tokens, inbound webhooks), the events it sends,
 * and a control API ({@code /_emulator/}) plus a live page ({@code /}) to drive and watch it.
 *
 * <pre>{@code
 * BoxEmulator emu = BoxEmulator.builder().port(0).tls(tls).requireClientCert(true).mode(Mode.CURRENT).build().start();
 * emu.install("https://127.0.0.1:8443/bitrix24/events");   // ONAPPINSTALL with the first tokens
 * ... the appliance calls emu.baseUrl() + "/rest/telephony.externalcall.register.json" ...
 * emu.state().calls();  emu.faults().outage(Faults.Outage.REFUSED);  emu.stop();
 * }</pre>
 */
public final class BoxEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BoxEmulator.class.getName());

    private final BoxEmulatorBuilder config;
    private final AdjustableClock clock;
    private final Settings settings;
    private final CrmState state;
    private final OAuth oauth;
    private final Auth auth;
    private final Faults faults = new Faults();
    private final RateLimiter limiter = new RateLimiter();
    private final RequestLog requestLog;
    private final EventDelivery delivery;
    private final OutgoingEvents outgoing;
    private final RestRouter router;
    private final ControlApi control;
    private final StatePage page = new StatePage();
    private final ObjectMapper json = Json.mapper();
    private final Listeners listeners;

    BoxEmulator(BoxEmulatorBuilder b) {
        this.config = b;
        this.clock = new AdjustableClock(b.clock);
        this.settings = new Settings(b.mode, b.tokenLifetime, b.refreshLifetime, b.blockPrivateRecordUrls,
                b.deliveryAttempts, b.deliveryBackoff, b.installHandler);
        this.state = new CrmState(clock);
        this.oauth = new OAuth(b.clientId, b.clientSecret, Auth.ALL_SCOPES, clock, settings,
                () -> new OAuth.Endpoints(host() + ":" + port(), baseUrl() + "/rest/", oauthBase() + "/rest/"));
        this.auth = new Auth(oauth);
        this.requestLog = new RequestLog(b.requestLogSize);
        this.delivery = new EventDelivery(b.tls == null ? EmulatorTls.defaultClient() : b.tls.client(), settings, clock);
        this.outgoing = new OutgoingEvents(state, oauth, delivery, settings);
        if (b.outboundWebhookCode != null) {
            outgoing.outboundWebhookCode(b.outboundWebhookCode);
        }
        Recordings recordings = new Recordings(state, settings, this::baseUrl, delivery::fetch);
        Methods methods = new Methods(settings, clock, new Telephony(state, b.appName), recordings,
                new TelephonyLines(state), new CrmMethods(state, this::baseUrl), new AppMethods(state, oauth));
        this.router = new RestRouter(methods, auth, oauth, recordings, limiter, faults, requestLog, json, clock);
        this.control = new ControlApi(this, json);
        this.listeners = new Listeners(b.host, b.tls, b.requireClientCert, b.pageWithoutClientCert, this::route,
                this::routeOauth);
        if (b.rateBurst > 0) {
            limiter.enable(b.rateBurst, b.ratePerSecond);
        }
        seed();
    }

    public static BoxEmulatorBuilder builder() {
        return new BoxEmulatorBuilder();
    }

    // ---- life ----

    /** Opens the box's port and the OAuth server's; returns when both listen. */
    public BoxEmulator start() {
        listeners.start(config.port, config.oauthPort);
        faults.attach(new Faults.Switch() {
            @Override
            public void outage(Faults.Outage outage) {
                listeners.box(outage != Faults.Outage.REFUSED);
            }

            @Override
            public void oauth(Faults.OAuthState s) {
                listeners.oauth(s != Faults.OAuthState.REFUSED);
            }
        });
        LOG.info(() -> "Bitrix24 box emulator on " + baseUrl() + " (" + settings.mode().name().toLowerCase()
                + " box, client certificates " + (config.requireClientCert ? "required" : "not asked") + "), OAuth on "
                + oauthBase());
        return this;
    }

    /** Closes the ports and stops event deliveries; a stopped emulator cannot start again. */
    public void stop() {
        listeners.stop();
        delivery.close();
        faults.shutdown();
    }

    @Override
    public void close() {
        stop();
    }

    private void route(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (config.requireClientCert && config.pageWithoutClientCert && (path.startsWith("/rest/")
                || path.startsWith("/oauth/")) && req.remotePeer().tlsCertificates().filter(c -> c.length > 0).isEmpty()) {
            res.status(io.helidon.http.Status.FORBIDDEN_403).send("a client certificate is required");
            return;
        }
        if (path.startsWith("/rest/")) {
            router.rest(req, res);
        } else if (path.equals("/oauth/token") || path.equals("/oauth/token/")) {
            router.token(req, res, true);
        } else if (path.startsWith("/_emulator/")) {
            control.handle(req, res);
        } else if (path.equals("/") || path.equals("/index.html")) {
            page.serve(res);
        } else {
            router.notFound(res);
        }
    }

    private void routeOauth(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.equals("/oauth/token") || path.equals("/oauth/token/")) {
            router.token(req, res, false);
        } else {
            router.notFound(res);
        }
    }

    // ---- where it is ----

    /** The box's port (fixed once started, also while a REFUSED outage has it closed). */
    public int port() {
        return listeners.boxPort();
    }

    /** {@code https://host:port} of the box (REST under {@code /rest/}, control under {@code /_emulator/}). */
    public String baseUrl() {
        return (config.tls == null ? "http" : "https") + "://" + host() + ":" + port();
    }

    /** The box's own token endpoint, {@code <baseUrl>/oauth/token/}. */
    public String tokenUrl() {
        return baseUrl() + "/oauth/token/";
    }

    /** The separate OAuth server's port (the "global OAuth server" a box may depend on, §1). */
    public int oauthPort() {
        return listeners.oauthPort();
    }

    /** The separate OAuth server's token endpoint, the one that can be made unreachable. */
    public String oauthTokenUrl() {
        return oauthBase() + "/oauth/token/";
    }

    private String oauthBase() {
        return (config.tls == null ? "http" : "https") + "://" + host() + ":" + oauthPort();
    }

    private String host() {
        if (config.advertisedHost != null) {
            return config.advertisedHost;
        }
        return config.host.equals("0.0.0.0") || config.host.equals("::") ? "127.0.0.1" : config.host;
    }

    /** The webhook base URL of a seeded webhook: {@code <baseUrl>/rest/<user>/<secret>}. */
    public String webhookUrl(int userId, String secret) {
        return baseUrl() + "/rest/" + userId + "/" + secret;
    }

    public String clientId() {
        return oauth.clientId;
    }

    public String clientSecret() {
        return oauth.clientSecret;
    }

    // ---- inspection ----

    /** The whole CRM state now (secrets masked). */
    public BoxState state() {
        BoxState.ApplicationView app = new BoxState.ApplicationView(oauth.clientId, oauth.installed(),
                Masking.token(oauth.applicationToken()), oauth.memberId, settings.installHandler());
        List<BoxState.TokenView> tokens = oauth.views();
        List<BoxState.WebhookView> webhooks = auth.views();
        List<Delivery> deliveries = delivery.deliveries();
        return state.tx(s -> {
            List<CallView> calls = new ArrayList<>();
            s.calls.values().forEach(c -> calls.add(c.view()));
            return new BoxState(clock.instant(), settings.mode(), app, List.copyOf(s.users.values()),
                    List.copyOf(s.of(EntityType.CONTACT).values()), List.copyOf(s.of(EntityType.COMPANY).values()),
                    List.copyOf(s.of(EntityType.LEAD).values()), List.copyOf(s.statuses), calls,
                    List.copyOf(s.activities.values()), List.copyOf(s.tasks.values()),
                    List.copyOf(s.comments.values()), List.copyOf(s.bindings.values()),
                    List.copyOf(s.lines.values()), tokens, webhooks, deliveries);
        });
    }

    /** The request log (last N requests, secrets masked). */
    public RequestLog requests() {
        return requestLog;
    }

    /** Every delivery of an event or install (the last 1000), with its attempts. */
    public List<Delivery> deliveries() {
        return delivery.deliveries();
    }

    /** The bytes of an attached record, by FILE_ID (while it is the call's current record). */
    public Optional<byte[]> recordBytes(int fileId) {
        return state.tx(s -> Optional.ofNullable(s.fileBytes.get(fileId)).map(byte[]::clone));
    }

    public Faults faults() {
        return faults;
    }

    public Settings settings() {
        return settings;
    }

    public RateLimiter rateLimiter() {
        return limiter;
    }

    public AdjustableClock clock() {
        return clock;
    }

    /** The code outbound-webhook events carry as {@code auth[application_token]}. */
    public String outboundWebhookCode() {
        return outgoing.outboundWebhookCode();
    }

    // ---- seeding ----

    /** Adds or replaces a user. */
    public User addUser(User user) {
        return state.tx(s -> s.putUser(user));
    }

    /** Adds a contact; returns its id. */
    public int addContact(String name, String lastName, int assignedById, Integer companyId, String... phones) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("NAME", name);
        f.put("LAST_NAME", lastName);
        f.put("ASSIGNED_BY_ID", String.valueOf(assignedById));
        if (companyId != null) {
            f.put("COMPANY_ID", String.valueOf(companyId));
        }
        f.put("PHONE", phoneList(phones));
        return addEntity(EntityType.CONTACT, f);
    }

    /** Adds a company; returns its id. */
    public int addCompany(String title, int assignedById, String... phones) {
        return addEntity(EntityType.COMPANY, Map.of("TITLE", title, "ASSIGNED_BY_ID", String.valueOf(assignedById),
                "PHONE", phoneList(phones)));
    }

    /** Adds a lead; returns its id. */
    public int addLead(String title, int assignedById, String sourceId, String... phones) {
        return addEntity(EntityType.LEAD, Map.of("TITLE", title, "ASSIGNED_BY_ID", String.valueOf(assignedById),
                "SOURCE_ID", sourceId == null ? "" : sourceId, "PHONE", phoneList(phones)));
    }

    /** Adds a CRM entity from REST-shaped fields (TITLE, NAME, ASSIGNED_BY_ID, PHONE: [{VALUE}], …). */
    public int addEntity(EntityType type, Map<String, Object> fields) {
        return state.tx(s -> s.addEntity(type, null, fields, 1).id());
    }

    private static List<Object> phoneList(String... phones) {
        List<Object> out = new ArrayList<>();
        for (String p : phones) {
            out.add(Map.of("VALUE", p, "VALUE_TYPE", "WORK"));
        }
        return out;
    }

    /** Adds a lead source (crm.status, ENTITY_ID = SOURCE). */
    public void addLeadSource(String statusId, String name) {
        state.tx(s -> s.addStatus("SOURCE", statusId, name, null));
    }

    /** Seeds an inbound webhook (a blank secret gets a random one; no scopes = all); returns its base URL. */
    public String addWebhook(int userId, String secret, Set<String> scopes) {
        Auth.Webhook w = auth.addWebhook(userId, secret, scopes);
        return webhookUrl(w.userId(), w.secret());
    }

    /** Binds an outbound webhook for an event: its deliveries carry {@link #outboundWebhookCode()}. */
    public int bindOutboundWebhook(String event, String handler) {
        return state.tx(s -> {
            EventBinding b = new EventBinding(s.next("binding"), event.toUpperCase(java.util.Locale.ROOT), handler,
                    "", EventBinding.Kind.OUTBOUND_WEBHOOK, 1, s.now());
            s.bindings.put(b.id(), b);
            return b.id();
        });
    }

    /** Adds the demo data of the sandbox (see README). */
    public void seedDemo() {
        DemoSeed.apply(this);
    }

    /**
     * Back to the state it started in: CRM, calls, tokens, installation, request log, deliveries, faults, rate
     * limiter and clock offset reset; the configured seed and webhooks applied again.
     */
    public void reset() {
        state.reset();
        oauth.reset();
        auth.clearWebhooks();
        requestLog.clear();
        delivery.clear();
        if (config.rateBurst > 0) {
            limiter.enable(config.rateBurst, config.ratePerSecond);
        } else {
            limiter.disable();
        }
        clock.resetOffset();
        faults.clear();
        settings.mode(config.mode).tokenLifetime(config.tokenLifetime).refreshLifetime(config.refreshLifetime)
                .blockPrivateRecordUrls(config.blockPrivateRecordUrls).deliveryAttempts(config.deliveryAttempts)
                .deliveryBackoff(config.deliveryBackoff).installHandler(config.installHandler);
        seed();
    }

    private void seed() {
        if (config.demo) {
            seedDemo();
        }
        for (BoxEmulatorBuilder.WebhookSeed w : config.webhooks) {
            auth.addWebhook(w.userId(), w.secret(), w.scopes());
        }
    }

    // ---- what the box does by itself ----

    /** Installs the application: ONAPPINSTALL to the configured install handler (if any) with the first tokens. */
    public Installation install() {
        return outgoing.install(null);
    }

    /** Installs the application, POSTing ONAPPINSTALL to {@code handler} (which becomes the install handler). */
    public Installation install(String handler) {
        return outgoing.install(handler);
    }

    /** A fresh token pair for a user, as if the application had been given one (tests, the sandbox). */
    public Tokens issueTokens(int userId) {
        return oauth.issue(userId, "issued");
    }

    /** A click on a number in the CRM: the box registers the call and POSTs OnExternalCallStart. */
    public Dispatch clickToCall(int userId, String phone) {
        return outgoing.clickToCall(userId, phone, null, null, null);
    }

    public Dispatch clickToCall(int userId, String phone, String lineNumber, EntityType entityType, Integer entityId) {
        return outgoing.clickToCall(userId, phone, lineNumber, entityType, entityId);
    }

    /** A callback asked for in a CRM form: OnExternalCallBackStart. */
    public Dispatch callback(String phone, String text, String lineNumber) {
        return outgoing.callback(phone, text, lineNumber, null, null);
    }

    public Dispatch callback(String phone, String text, String lineNumber, EntityType entityType, Integer entityId) {
        return outgoing.callback(phone, text, lineNumber, entityType, entityId);
    }
}
