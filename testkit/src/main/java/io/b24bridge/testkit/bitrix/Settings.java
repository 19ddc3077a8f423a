package io.b24bridge.testkit.bitrix;

import java.time.Duration;

/**
 * The emulator's switches that tests flip while it runs (box mode, token lifetimes, RECORD_URL policy, event
 * retries). Plain volatile fields: each is read on its own, no invariant spans two of them.
 */
public final class Settings {

    private volatile Mode mode;
    private volatile Duration tokenLifetime;
    private volatile Duration refreshLifetime;
    private volatile boolean blockPrivateRecordUrls;
    private volatile int deliveryAttempts;
    private volatile Duration deliveryBackoff;
    private volatile String installHandler;

    Settings(Mode mode, Duration tokenLifetime, Duration refreshLifetime, boolean blockPrivateRecordUrls,
             int deliveryAttempts, Duration deliveryBackoff, String installHandler) {
        this.mode = mode;
        this.tokenLifetime = tokenLifetime;
        this.refreshLifetime = refreshLifetime;
        this.blockPrivateRecordUrls = blockPrivateRecordUrls;
        this.deliveryAttempts = deliveryAttempts;
        this.deliveryBackoff = deliveryBackoff;
        this.installHandler = installHandler;
    }

    public Mode mode() {
        return mode;
    }

    /** Current box (webhooks refused for externalCall methods) or older box (accepted), §1. */
    public Settings mode(Mode mode) {
        this.mode = mode;
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

    /** Lifetime of refresh tokens issued from now on (default 28 days, UNCONFIRMED for boxes). */
    public Settings refreshLifetime(Duration lifetime) {
        this.refreshLifetime = positive(lifetime, "refresh token lifetime");
        return this;
    }

    public boolean blockPrivateRecordUrls() {
        return blockPrivateRecordUrls;
    }

    /** Whether RECORD_URL pointing at a non-public address is refused, as the current docs say (§2). */
    public Settings blockPrivateRecordUrls(boolean block) {
        this.blockPrivateRecordUrls = block;
        return this;
    }

    public int deliveryAttempts() {
        return deliveryAttempts;
    }

    /** How many times an event is POSTed before the box gives up (§5.11, UNCONFIRMED: "a few"). */
    public Settings deliveryAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("delivery attempts must be at least 1");
        }
        this.deliveryAttempts = attempts;
        return this;
    }

    public Duration deliveryBackoff() {
        return deliveryBackoff;
    }

    /** Pause before the first retry of an event; doubled for each further one. */
    public Settings deliveryBackoff(Duration backoff) {
        this.deliveryBackoff = backoff.isNegative() ? Duration.ZERO : backoff;
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
