package io.b24bridge.testkit.bitrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The b24bridge box module ({@code box-module/b24bridge.connector}) as the {@code with-module} deployment has it:
 * installed with its credential (kept as a hash, shown once), the appliance's certificate subject from its options,
 * the user the appliance acts as, armed or not; its tokens ({@link ModuleTokens}) and its event queue
 * ({@link ModuleQueue}). Arming binds the application's events and installs it, which queues ONAPPINSTALL;
 * disarming unbinds them and revokes every token (box-module {@code Install\Installer}).
 * <p>
 * The identity check is the module's {@code Auth\ApplianceIdentity}: the request's verified client certificate must
 * have the subject set in the options, else {@code CLIENT_CERTIFICATE_REQUIRED} (none) or
 * {@code CLIENT_CERTIFICATE_REFUSED} (another) — where a box's nginx hands the module the verified subject, this
 * emulator reads it from its own TLS layer.
 */
public final class ConnectorModule {

    public static final String CLIENT_ID = "local.b24bridge.connector";
    public static final String MODULE_ID = "b24bridge.connector";
    public static final String VERSION = "1.0.0";
    /** Where the box serves the module's token endpoint. */
    public static final String TOKEN_PATH = "/bitrix/services/b24bridge.connector/token.php";
    static final String SERVICES_DIR = "/bitrix/services/b24bridge.connector/";
    static final String SCOPE = "telephony,crm,user,task,b24bridge";
    /** The scopes of the local application the module registers. */
    static final Set<String> APPLICATION_SCOPES = Set.of("telephony", "crm", "user", "task", "b24bridge");
    static final List<String> EVENTS = List.of("ONAPPINSTALL", "ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String applianceDn;
    private final String applianceUrl;
    private final CrmState state;
    private final Application app;
    private final Supplier<OutgoingEvents> outgoing;
    final ModuleTokens tokens;
    final ModuleQueue queue;
    private volatile byte[] credentialHash = new byte[0];
    private volatile String credential = "";
    private volatile boolean armed;
    private volatile int actingUser = 1;

    ConnectorModule(String applianceDn, String applianceUrl, CrmState state, Application app,
                    Supplier<OutgoingEvents> outgoing, ModuleTokens tokens, ModuleQueue queue) {
        if (applianceDn == null || applianceDn.isBlank()) {
            throw new IllegalArgumentException("a box with the module needs the appliance's certificate subject "
                    + "(its options page): BoxEmulatorBuilder.moduleApplianceDn");
        }
        this.applianceDn = applianceDn.strip();
        this.applianceUrl = applianceUrl;
        this.state = state;
        this.app = app;
        this.outgoing = outgoing;
        this.tokens = tokens;
        this.queue = queue;
    }

    /** Installs the module afresh: a new credential, then armed (the state every contract fixture starts from). */
    void installAndArm() {
        disarm();
        newCredential();
        arm();
    }

    /** The credential the install showed (the appliance's {@code module.credential-file}). */
    public String credential() {
        return credential;
    }

    /** "Issue a new credential" on the options page: the old one stops working. */
    public String newCredential() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        credential = "b24bc." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        credentialHash = sha256(credential);
        return credential;
    }

    boolean credentialMatches(String presented) {
        return presented != null && MessageDigest.isEqual(credentialHash, sha256(presented));
    }

    /** The application token events carry ({@code auth[application_token]}). */
    public String applicationToken() {
        return app.applicationToken();
    }

    public boolean armed() {
        return armed;
    }

    public String applianceDn() {
        return applianceDn;
    }

    /** The user the appliance's tokens act as (the options page; the installing administrator by default). */
    public int actingUser() {
        return actingUser;
    }

    public void actingUser(int userId) {
        this.actingUser = userId;
    }

    /** Arms: binds the application's events and installs it, which queues ONAPPINSTALL for the appliance. */
    public synchronized void arm() {
        if (armed) {
            return;
        }
        state.tx(s -> {
            for (String event : EVENTS) {
                EventBinding b = new EventBinding(s.next("binding"), event, applianceUrl, "",
                        EventBinding.Kind.APPLICATION, actingUser, s.now());
                s.bindings.put(b.id(), b);
            }
            return null;
        });
        armed = true;
        outgoing.get().install(applianceUrl);
    }

    /** Disarms: the events unbound, every token revoked; events already queued stay for the next arming. */
    public synchronized void disarm() {
        armed = false;
        state.tx(s -> s.bindings.values().removeIf(b -> b.kind() == EventBinding.Kind.APPLICATION
                && EVENTS.contains(b.event().toUpperCase(Locale.ROOT))));
        tokens.revokeAll();
    }

    /** The module's refusal of a request that is not the appliance's, or null when it is. */
    RestError identityRefusal(String clientDn) {
        if (clientDn == null || clientDn.isBlank()) {
            return RestError.withStatus("CLIENT_CERTIFICATE_REQUIRED", "The b24bridge module answers only over the "
                    + "appliance's mutual-TLS connection: no verified client certificate came with this request", 403);
        }
        if (!MessageDigest.isEqual(applianceDn.getBytes(StandardCharsets.UTF_8),
                clientDn.strip().getBytes(StandardCharsets.UTF_8))) {
            return RestError.withStatus("CLIENT_CERTIFICATE_REFUSED", "The client certificate is valid but is not the "
                    + "appliance's (its subject differs from the one set in the b24bridge module options)", 403);
        }
        return null;
    }

    /** Events in the module's queue not yet acknowledged (the options page's "waiting for the appliance"). */
    public int queueDepth() {
        return queue.status().depth();
    }

    /** What the options page and {@code b24bridge.status} show. */
    Map<String, Object> status() {
        ModuleQueue.Status q = queue.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module_id", MODULE_ID);
        m.put("version", VERSION);
        m.put("state", armed ? "armed" : "disarmed");
        m.put("client_id", CLIENT_ID);
        m.put("queue_depth", q.depth());
        m.put("oldest_undelivered", q.oldestUndelivered());
        m.put("acked_through", q.ackedThrough());
        m.put("last_pull_at", q.lastPull() == null ? null : ModuleQueue.SECONDS.format(q.lastPull()));
        return m;
    }

    /**
     * An event's {@code auth[...]}, built when it is pulled (box-module {@code Event\Delivery::auth}): for an event a
     * user caused, a fresh access token for that user (a refresh token only with ONAPPINSTALL); for one without a
     * user (a website callback form) no token at all; the application token always.
     *
     * @param host {@code host:port} of the box
     */
    static Map<String, Object> eventAuth(ModuleTokens tokens, String host, Integer userId, boolean withRefresh,
                                         String applicationToken) {
        Map<String, Object> auth = new LinkedHashMap<>();
        ModuleTokens.Issued t = userId != null && userId > 0 ? tokens.issue(userId, SCOPE, withRefresh) : null;
        if (t != null) {
            auth.put("access_token", t.accessToken());
            auth.put("expires_in", ModuleTokens.ACCESS_TTL);
            auth.put("scope", t.scope());
        }
        auth.put("domain", host);
        auth.put("server_endpoint", "https://" + host + SERVICES_DIR);
        if (t != null) {
            auth.put("status", "L");
        }
        auth.put("client_endpoint", "https://" + host + "/rest/");
        if (t != null && t.refreshToken() != null) {
            auth.put("refresh_token", t.refreshToken());
        }
        auth.put("application_token", applicationToken);
        return auth;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
