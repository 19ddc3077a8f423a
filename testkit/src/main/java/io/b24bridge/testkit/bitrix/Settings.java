package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The emulator's switches that tests flip while it runs (deployment, auth rules, token lifetimes, RECORD_URL
 * policy, duplicated events). Plain volatile fields: each is read on its own, no invariant spans two of them.
 */
public final class Settings {

    private volatile Deployment deployment;
    private volatile AuthRules authRules;
    private volatile Duration tokenLifetime;
    private volatile Duration refreshLifetime;
    private volatile boolean blockPrivateRecordUrls;
    private volatile boolean duplicateEvents;
    private volatile String installHandler;
    private volatile Consumer<Deployment> onDeployment = d -> { };

    Settings(Deployment deployment, AuthRules authRules, Duration tokenLifetime, Duration refreshLifetime,
             boolean blockPrivateRecordUrls, boolean duplicateEvents, String installHandler) {
        this.deployment = deployment;
        this.authRules = authRules;
        this.tokenLifetime = tokenLifetime;
        this.refreshLifetime = refreshLifetime;
        this.blockPrivateRecordUrls = blockPrivateRecordUrls;
        this.duplicateEvents = duplicateEvents;
        this.installHandler = installHandler;
    }

    /** As the builder sets them. */
    static Settings of(BoxEmulatorBuilder b) {
        return new Settings(b.deployment, b.authRules, b.tokenLifetime, b.refreshLifetime, b.blockPrivateRecordUrls,
                b.duplicateEvents, b.installHandler);
    }

    /** Back to what the builder set (a reset), each change told as a change of its own. */
    Settings restore(BoxEmulatorBuilder b) {
        return deployment(b.deployment).authRules(b.authRules).tokenLifetime(b.tokenLifetime)
                .refreshLifetime(b.refreshLifetime).blockPrivateRecordUrls(b.blockPrivateRecordUrls)
                .duplicateEvents(b.duplicateEvents).installHandler(b.installHandler);
    }

    /** Told when the deployment changes (the OAuth server's port opens or closes). */
    void onDeployment(Consumer<Deployment> listener) {
        this.onDeployment = listener;
    }

    public Deployment deployment() {
        return deployment;
    }

    /**
     * Cloud-connected or air-gapped ({@link Deployment}): a box that loses its internet keeps the tokens it
     * checked within the hour; one that gets it back checks new ones again.
     */
    public Settings deployment(Deployment deployment) {
        if ((this.deployment == Deployment.WITH_MODULE) != (deployment == Deployment.WITH_MODULE)) {
            throw new IllegalArgumentException("the b24bridge module is there or not from the start: with-module is "
                    + "chosen when the emulator is built, not switched while it runs");
        }
        this.deployment = deployment;
        onDeployment.accept(deployment);
        return this;
    }

    public AuthRules authRules() {
        return authRules;
    }

    /** Which methods refuse webhooks: as the box's source does (default) or as the docs say ({@link AuthRules}). */
    public Settings authRules(AuthRules rules) {
        this.authRules = rules;
        return this;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** Lifetime of access tokens issued from now on (default 3600 s, §1). */
    public Settings tokenLifetime(Duration lifetime) {
        this.tokenLifetime = positive(lifetime, "token lifetime");
        return this;
    }

    public Duration refreshLifetime() {
        return refreshLifetime;
    }

    /** Lifetime of refresh tokens issued from now on (default 180 days: docs settings/oauth/index.md). */
    public Settings refreshLifetime(Duration lifetime) {
        this.refreshLifetime = positive(lifetime, "refresh token lifetime");
        return this;
    }

    public boolean blockPrivateRecordUrls() {
        return blockPrivateRecordUrls;
    }

    /**
     * Whether RECORD_URL pointing at a non-public address is refused. Off by default: a box downloads from
     * anywhere (main/lib/web/httpclient.php:58, voximplant never restricts it); on models a cloud portal.
     */
    public Settings blockPrivateRecordUrls(boolean block) {
        this.blockPrivateRecordUrls = block;
        return this;
    }

    public boolean duplicateEvents() {
        return duplicateEvents;
    }

    /** Every event POSTed twice, as a queue now and then does (off by default). */
    public Settings duplicateEvents(boolean twice) {
        this.duplicateEvents = twice;
        return this;
    }

    public String installHandler() {
        return installHandler;
    }

    /** The application's install handler URL, where ONAPPINSTALL is POSTed. */
    public Settings installHandler(String url) {
        this.installHandler = url;
        return this;
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}
