package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How a {@link BoxEmulator} is built; every setting has a default that makes a working box on a free port. */
public final class BoxEmulatorBuilder {

    record WebhookSeed(int userId, String secret, Set<String> scopes) {
    }

    // read directly by BoxEmulator (same package); set only through the methods below
    String host = "127.0.0.1";
    String advertisedHost;
    int port;
    int oauthPort;
    EmulatorTls tls;
    boolean requireClientCert;
    boolean pageWithoutClientCert;
    Deployment deployment = Deployment.CLOUD_CONNECTED;
    AuthRules authRules = AuthRules.SOURCE;
    Clock clock = Clock.systemDefaultZone();
    String clientId = "local.b24bridge0emulator.00000001";
    String clientSecret = Application.random(20);
    String appName = "b24bridge";
    Duration tokenLifetime = Duration.ofHours(1);
    Duration refreshLifetime = Duration.ofDays(180);
    String installHandler;
    boolean blockPrivateRecordUrls;
    boolean duplicateEvents;
    int requestLogSize = 10_000;
    int rateBurst;
    double ratePerSecond;
    boolean demo;
    String moduleApplianceDn;
    String moduleApplianceUrl = "https://10.0.0.5:9443";
    String behindModuleKey;
    String outboundWebhookCode;
    final List<WebhookSeed> webhooks = new ArrayList<>();

    BoxEmulatorBuilder() {
    }

    /**
     * With {@code deployment(WITH_MODULE)}: the subject (RFC 2253) of the appliance's client certificate, as the box
     * administrator enters it on the module's options page. Required there.
     */
    public BoxEmulatorBuilder moduleApplianceDn(String dn) {
        this.moduleApplianceDn = dn;
        return this;
    }

    /** With {@code deployment(WITH_MODULE)}: the appliance's address on the module's options page. */
    public BoxEmulatorBuilder moduleApplianceUrl(String url) {
        this.moduleApplianceUrl = url;
        return this;
    }

    /**
     * "Behind the module": the served PHP box module (box-module/serve with B24BRIDGE_BEHIND_URL/KEY) hands the box's
     * own REST methods on to this emulator under {@code /_behind/}, authenticated by {@code key}; this emulator then
     * is the box, the PHP side the module. Use with {@code application(ConnectorModule.CLIENT_ID, …)} so that calls
     * are the module's application's.
     */
    public BoxEmulatorBuilder behindModule(String key) {
        this.behindModuleKey = key;
        return this;
    }

    /** The address to listen on (default 127.0.0.1). */
    public BoxEmulatorBuilder host(String host) {
        this.host = host;
        return this;
    }

    /** The host name URLs are built with (client_endpoint, uploadUrl), when not the listening address. */
    public BoxEmulatorBuilder advertisedHost(String host) {
        this.advertisedHost = host;
        return this;
    }

    /** The box's port (0: any free one). */
    public BoxEmulatorBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** The separate OAuth server's port (0: any free one). */
    public BoxEmulatorBuilder oauthPort(int port) {
        this.oauthPort = port;
        return this;
    }

    /** HTTPS identities; without them the emulator speaks plain HTTP (for debugging only). */
    public BoxEmulatorBuilder tls(EmulatorTls tls) {
        this.tls = tls;
        return this;
    }

    /**
     * With {@link #requireClientCert}: the page and the control API may be opened without a client certificate
     * (a browser in the sandbox); the box's REST and OAuth paths still refuse requests without one.
     */
    public BoxEmulatorBuilder pageWithoutClientCert(boolean open) {
        this.pageWithoutClientCert = open;
        return this;
    }

    /** Mutual TLS: refuse clients without a certificate from the truststore's CA. */
    public BoxEmulatorBuilder requireClientCert(boolean require) {
        this.requireClientCert = require;
        return this;
    }

    /** Where the box stands: cloud-connected (the default) or air-gapped ({@link Deployment}). */
    public BoxEmulatorBuilder deployment(Deployment deployment) {
        this.deployment = deployment;
        return this;
    }

    /** Which methods refuse webhooks: the box's source (the default) or the docs ({@link AuthRules}). */
    public BoxEmulatorBuilder authRules(AuthRules rules) {
        this.authRules = rules;
        return this;
    }

    /**
     * The base clock (the emulator adds an adjustable offset to it, {@link AdjustableClock}): e.g.
     * {@code Clock.fixed(...)} for a test that moves time only by {@code emu.clock().advance(...)}.
     */
    public BoxEmulatorBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public BoxEmulatorBuilder application(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        return this;
    }

    public BoxEmulatorBuilder tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    public BoxEmulatorBuilder refreshLifetime(Duration lifetime) {
        this.refreshLifetime = lifetime;
        return this;
    }

    /** Where ONAPPINSTALL goes when the application is installed. */
    public BoxEmulatorBuilder installHandler(String url) {
        this.installHandler = url;
        return this;
    }

    public BoxEmulatorBuilder blockPrivateRecordUrls(boolean block) {
        this.blockPrivateRecordUrls = block;
        return this;
    }

    /** Every event POSTed twice by the queue (off by default). */
    public BoxEmulatorBuilder duplicateEvents(boolean twice) {
        this.duplicateEvents = twice;
        return this;
    }

    /** How many requests the request log keeps (default 10 000). */
    public BoxEmulatorBuilder requestLogSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("request log size must be positive");
        }
        this.requestLogSize = size;
        return this;
    }

    /** Starts with the rate limit on (off by default). */
    public BoxEmulatorBuilder rateLimit(int burst, double perSecond) {
        this.rateBurst = burst;
        this.ratePerSecond = perSecond;
        return this;
    }

    /** Seeds the demo data (also after every reset). */
    public BoxEmulatorBuilder seedDemo(boolean demo) {
        this.demo = demo;
        return this;
    }

    /** Seeds an inbound webhook (also after every reset). */
    public BoxEmulatorBuilder webhook(int userId, String secret, Set<String> scopes) {
        webhooks.add(new WebhookSeed(userId, secret, Set.copyOf(scopes)));
        return this;
    }

    public BoxEmulatorBuilder outboundWebhookCode(String code) {
        this.outboundWebhookCode = code;
        return this;
    }

    public BoxEmulator build() {
        if (requireClientCert && tls == null) {
            throw new IllegalArgumentException("requireClientCert needs tls");
        }
        return new BoxEmulator(this);
    }
}
