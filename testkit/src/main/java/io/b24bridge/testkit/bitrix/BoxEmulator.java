package io.b24bridge.testkit.bitrix;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * An on-premise Bitrix24 box (version 26.250), emulated after its own published source and the REST docs
 * (shared/reference/bitrix24-box-behaviour.md): its REST API for telephony and CRM, its auth (a local application
 * whose tokens Bitrix's OAuth server issues and checks, inbound webhooks), the events that leave it, and a control
 * API ({@code /_emulator/}) plus a live page ({@code /}) to drive and watch it. The OAuth server runs on a port of
 * its own; the {@link Deployment} says whether the box reaches it.
 *
 * <pre>{@code
 * BoxEmulator emu = BoxEmulator.builder().port(0).tls(tls).requireClientCert(true).build().start();
 * emu.install("https://edge.example:8443/bitrix24/events");   // ONAPPINSTALL from the cloud queue
 * ... the appliance calls emu.baseUrl() + "/rest/telephony.externalcall.register.json" ...
 * emu.state().calls();  emu.settings().deployment(Deployment.AIR_GAPPED);  emu.stop();
 * }</pre>
 */
public final class BoxEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BoxEmulator.class.getName());

    private final BoxEmulatorBuilder config;
    private final AdjustableClock clock;
    private final Settings settings;
    private final CrmState state;
    private final Application app;
    private final OAuthServer oauth;
    private final TokenValidator tokens;
    private final EventSender events;
    private final BoxHttp boxHttp;
    private final Auth auth;
    private final Faults faults = new Faults();
    private final RateLimiter limiter;
    private final RequestLog requestLog;
    private final OutgoingEvents outgoing;
    private final ObjectMapper json = Json.mapper();
    private final Listeners listeners;
    /** The b24bridge module of a {@link Deployment#WITH_MODULE} box; null on the others. */
    private final ConnectorModule module;

    BoxEmulator(BoxEmulatorBuilder b) {
        this.config = b;
        this.clock = new AdjustableClock(b.clock);
        this.limiter = new RateLimiter(clock);
        this.settings = Settings.of(b);
        this.state = new CrmState(clock);
        boolean withModule = b.deployment == Deployment.WITH_MODULE;
        this.app = new Application(withModule ? ConnectorModule.CLIENT_ID : b.clientId, b.clientSecret,
                withModule ? ConnectorModule.APPLICATION_SCOPES : Auth.ALL_SCOPES);
        this.oauth = new OAuthServer(app, clock, settings, this::endpoints, this::oauthReachable);
        this.boxHttp = new BoxHttp(b.tls == null ? EmulatorTls.defaultClient() : b.tls.client());
        Seams seams = Seams.of(b, clock, settings, state, app, oauth, this::outgoingEvents, this::boxHost);
        this.module = seams.module();
        this.tokens = seams.tokens();
        this.events = seams.events();
        this.auth = new Auth(app, tokens);
        this.requestLog = new RequestLog(b.requestLogSize);
        this.outgoing = new OutgoingEvents(state, app, events, settings);
        if (b.outboundWebhookCode != null) {
            outgoing.outboundWebhookCode(b.outboundWebhookCode);
        }
        Recordings recordings = new Recordings(state, settings, this::baseUrl, boxHttp::fetch);
        Methods methods = new Methods(settings, clock, faults, new CallRegistration(state),
                new Telephony(state, b.appName), recordings, new TelephonyLines(state), new VoximplantUsers(state),
                new CrmMethods(state, this::baseUrl),
                new AppMethods(state, app));
        if (module != null) {
            new ModuleMethods(module, state, app, clock).addTo(methods);
        }
        RestRouter router = new RestRouter(methods, auth, oauth, recordings, limiter, faults, requestLog, json, clock);
        BehindModule behind = b.behindModuleKey == null ? null
                : new BehindModule(b.behindModuleKey, router, state, json, clock.getZone());
        BoxPaths paths = new BoxPaths(router, new ControlApi(this, json), seams.moduleTokenEndpoint(), behind,
                module == null && b.requireClientCert && b.pageWithoutClientCert);
        // a box with the module serves the appliance on a mutual-TLS port and people on an ordinary one; here one
        // port asks for a certificate and the module refuses its own requests that came without the appliance's
        this.listeners = new Listeners(b.host, b.advertisedHost, b.tls, withModule ? Listeners.ClientCerts.OPTIONAL
                : b.requireClientCert ? Listeners.ClientCerts.REQUIRED : Listeners.ClientCerts.NONE,
                b.pageWithoutClientCert && !withModule, paths::route, paths::routeOauth);
        limiter.configure(b.rateBurst, b.ratePerSecond);
        seed();
    }

    private OutgoingEvents outgoingEvents() {
        return outgoing;
    }

    /** {@code host:port} of the box as its requests name it (HTTP_HOST): the module's endpoints and events. */
    private String boxHost() {
        return listeners.hostName() + ":" + port();
    }

    /** Whether the box reaches the OAuth server now: its deployment, and the OAuth fault. */
    private boolean oauthReachable() {
        return settings.deployment().reachesOAuthServer() && faults.currentOauth() == Faults.OAuthState.UP;
    }

    /** The OAuth server's port is open unless the box is air-gapped or the fault closed it. */
    private void openOauthPort() {
        listeners.oauth(settings.deployment().reachesOAuthServer() && faults.currentOauth() != Faults.OAuthState.REFUSED);
    }

    private OAuthServer.Endpoints endpoints() {
        return new OAuthServer.Endpoints(boxHost(), listeners.hostName() + ":" + oauthPort(), baseUrl() + "/rest/",
                listeners.oauthBase() + "/rest/");
    }

    public static BoxEmulatorBuilder builder() {
        return new BoxEmulatorBuilder();
    }

    // ---- life ----

    /** Opens the box's port and the OAuth server's (closed again at once when air-gapped); returns when they listen. */
    public BoxEmulator start() {
        listeners.start(config.port, config.oauthPort);
        faults.attach(new Faults.Switch(outage -> listeners.box(outage != Faults.Outage.REFUSED),
                oauth -> openOauthPort()));
        settings.onDeployment(d -> openOauthPort());
        openOauthPort();
        LOG.info(() -> "Bitrix24 box emulator on " + baseUrl() + " (" + settings.deployment().label() + ", auth rules "
                + settings.authRules().label() + ", client certificates "
                + (config.requireClientCert ? "required" : "not asked") + "), OAuth server on " + listeners.oauthBase());
        return this;
    }

    /** Closes the ports and stops event deliveries; a stopped emulator cannot start again. */
    public void stop() {
        listeners.stop();
        events.close();
        boxHttp.close();
        faults.shutdown();
    }

    @Override
    public void close() {
        stop();
    }

    // ---- where it is ----

    /** The box's port (fixed once started, also while a REFUSED outage has it closed). */
    public int port() {
        return listeners.boxPort();
    }

    /** {@code https://host:port} of the box (REST under {@code /rest/}, control under {@code /_emulator/}). */
    public String baseUrl() {
        return listeners.boxBase();
    }

    /**
     * Where the application renews its tokens: the OAuth server's token endpoint (docs: "always contact the
     * oauth.bitrix.info authorization server directly"; the box serves no {@code /oauth/token/}).
     */
    public String tokenUrl() {
        return oauthTokenUrl();
    }

    /** The OAuth server's port (the emulator's oauth.bitrix.info). */
    public int oauthPort() {
        return listeners.oauthPort();
    }

    /** The OAuth server's token endpoint. */
    public String oauthTokenUrl() {
        return listeners.oauthBase() + "/oauth/token/";
    }

    /** The webhook base URL of a seeded webhook: {@code <baseUrl>/rest/<user>/<secret>}. */
    public String webhookUrl(int userId, String secret) {
        return baseUrl() + "/rest/" + userId + "/" + secret;
    }

    public String clientId() {
        return app.clientId;
    }

    public String clientSecret() {
        return app.clientSecret;
    }

    // ---- inspection ----

    /** The whole CRM state now (secrets masked). */
    public BoxState state() {
        BoxState.ApplicationView application = new BoxState.ApplicationView(app.clientId, app.installed(),
                Masking.token(app.applicationToken()), app.memberId, settings.installHandler());
        List<BoxState.TokenView> issued = oauth.views();
        List<BoxState.WebhookView> webhooks = auth.views();
        List<Delivery> deliveries = events.deliveries();
        return state.tx(s -> s.view(clock.instant(), settings, application, issued, webhooks, deliveries));
    }

    /**
     * The b24bridge module of a {@code with-module} box: its credential, arming, the appliance's certificate subject.
     *
     * @throws IllegalStateException on a box without it
     */
    public ConnectorModule module() {
        if (module == null) {
            throw new IllegalStateException("this box has no b24bridge module: build it with deployment with-module");
        }
        return module;
    }

    /**
     * Per CALL_ID, the show, hide and finish commands that came while the call was not open, e.g. "show after
     * finish", "finish before register": the box answers them false or "not found"; a client that keeps each
     * call's order sends none (a finish repeated after a crash is "finish after finish").
     */
    public Map<String, List<String>> lateCommands() {
        return state.tx(CrmState::lateCommandsCopy);
    }

    /** The request log (last N requests, secrets masked). */
    public RequestLog requests() {
        return requestLog;
    }

    /** Every delivery of an event or install (the last 1000), with its attempts. */
    public List<Delivery> deliveries() {
        return events.deliveries();
    }

    /**
     * The tasks bound to a CRM entity ({@code UF_CRM_TASK} value such as {@code C_12}), in the order they were
     * made: what tests count ("one task that says five").
     */
    public List<Task> tasksBoundTo(String binding) {
        return state.tx(s -> s.tasks.values().stream().filter(t -> t.crmBindings().contains(binding)).toList());
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

    /**
     * Sets a user's own outgoing line (UF_VI_BACKPHONE, what the box's telephony settings call the user's default
     * number): {@link #applicationLine()}, an external line's number, or any other line's id (a SIP line, another
     * application's {@code REST_APP:<id>}); blank takes it away (the portal's default applies).
     */
    public void setOutgoingLine(int userId, String line) {
        state.tx(s -> line == null || line.isBlank() ? s.outgoingLines.remove(userId)
                : s.outgoingLines.put(userId, line.strip()));
    }

    /** Sets the portal's default outgoing line (option voximplant/portal_number); blank unsets it. */
    public void setPortalOutgoingLine(String line) {
        state.tx(s -> s.portalNumber = line == null ? "" : line.strip());
    }

    /** The application's pseudo-line, {@code REST_APP:<app.info ID>} (vi_config.php:251-283). */
    public String applicationLine() {
        return "REST_APP:" + Application.ID;
    }

    /** Adds a contact; returns its id. */
    public int addContact(String name, String lastName, int assignedById, Integer companyId, String... phones) {
        return addEntity(EntityType.CONTACT, CrmEntity.contactFields(name, lastName, assignedById, companyId, phones));
    }

    /** Adds a company; returns its id. */
    public int addCompany(String title, int assignedById, String... phones) {
        return addEntity(EntityType.COMPANY, CrmEntity.companyFields(title, assignedById, phones));
    }

    /** Adds a lead; returns its id. */
    public int addLead(String title, int assignedById, String sourceId, String... phones) {
        return addEntity(EntityType.LEAD, CrmEntity.leadFields(title, assignedById, sourceId, phones));
    }

    /** Adds a CRM entity from REST-shaped fields (TITLE, NAME, ASSIGNED_BY_ID, PHONE: [{VALUE}], …). */
    public int addEntity(EntityType type, Map<String, Object> fields) {
        return state.tx(s -> s.addEntity(type, null, fields, 1).id());
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
        return outgoing.bindOutboundWebhook(event, handler);
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
        app.reset();
        oauth.reset();
        tokens.reset();
        auth.clearWebhooks();
        requestLog.clear();
        events.clear();
        limiter.configure(config.rateBurst, config.ratePerSecond);
        clock.resetOffset();
        faults.clear();
        settings.restore(config);
        seed();
    }

    /** The configured seed and webhooks; the module installed and armed on a box with it. */
    private void seed() {
        if (config.demo) {
            seedDemo();
        }
        for (BoxEmulatorBuilder.WebhookSeed w : config.webhooks) {
            auth.addWebhook(w.userId(), w.secret(), w.scopes());
        }
        if (module != null) {
            module.installAndArm();
        }
    }

    // ---- what the box does by itself ----

    /**
     * Installs the application: ONAPPINSTALL with the first tokens to the configured install handler (if any),
     * delivered as the deployment delivers events (air-gapped: never).
     */
    public Installation install() {
        return outgoing.install(null);
    }

    /** Installs the application, POSTing ONAPPINSTALL to {@code handler} (which becomes the install handler). */
    public Installation install(String handler) {
        return outgoing.install(handler);
    }

    /**
     * A fresh token pair for a user from the OAuth server, as if the application had been given one (tests, the
     * sandbox). An air-gapped box still cannot check it.
     */
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

    /** A callback form whose result named no CRM entity: OnExternalCallBackStart with an empty CRM_ENTITY_TYPE. */
    public Dispatch callbackWithoutEntity(String phone, String text) {
        return outgoing.callback(phone, text, null, null, null, false);
    }
}
