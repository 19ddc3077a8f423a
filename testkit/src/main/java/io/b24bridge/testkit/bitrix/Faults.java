package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What can go wrong with a box, on demand: an outage (the port refuses connections, or answers 503 like a
 * reverse proxy in front of a stopped PHP), added latency, a rate of 500 answers, slow answers, connections
 * dropped before or after the method ran (the client cannot tell whether it executed), and an OAuth server out of
 * reach as in an air-gapped LAN. Applied to {@code /rest/}, {@code /oauth/token/} and uploads; the control API
 * and the state page stay reachable unless the whole port refuses.
 */
public final class Faults {

    public enum Outage {
        NONE,
        /** the listening socket is closed: connection refused */
        REFUSED,
        /** HTTP 503 with an HTML body, as a proxy answers for a dead backend */
        UNAVAILABLE
    }

    public enum OAuthState {
        UP,
        UNAVAILABLE,
        /** the OAuth server's port is closed; on the box's own port the connection is dropped instead */
        REFUSED
    }

    public enum DropPoint {
        BEFORE_EXECUTION,
        AFTER_EXECUTION
    }

    /** Told when the listeners must close or open. */
    record Switch(Consumer<Outage> outage, Consumer<OAuthState> oauth) {
    }

    /** The current faults, as the control API shows them. */
    public record View(Outage outage, long latencyMs, double errorRate, double slowRate, long slowMs,
                       double dropRate, DropPoint dropPoint, OAuthState oauth, java.util.Set<String> operationTimeLimit) {
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "box-emulator-faults");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong outageGeneration = new AtomicLong();
    private final AtomicLong oauthGeneration = new AtomicLong();
    private volatile Switch listeners;

    private volatile Outage outage = Outage.NONE;
    private volatile Duration latency = Duration.ZERO;
    private volatile double errorRate;
    private volatile double limitRate;
    private final AtomicLong limitsMet = new AtomicLong();
    private volatile double slowRate;
    private volatile Duration slowDelay = Duration.ZERO;
    private volatile double dropRate;
    private volatile DropPoint dropPoint = DropPoint.BEFORE_EXECUTION;
    private volatile OAuthState oauth = OAuthState.UP;
    private volatile java.util.Set<String> operationLimited = java.util.Set.of();

    Faults() {
    }

    void attach(Switch listeners) {
        this.listeners = listeners;
    }

    /** Starts or ends an outage now; a REFUSED outage has closed the port when this returns. */
    public Faults outage(Outage outage) {
        outageGeneration.incrementAndGet();
        setOutage(outage);
        return this;
    }

    /** An outage that ends by itself (the only way to end a REFUSED one started over HTTP). */
    public Faults outage(Outage outage, Duration forHowLong) {
        long gen = outageGeneration.incrementAndGet();
        setOutage(outage);
        timer.schedule(() -> {
            if (outageGeneration.get() == gen) {
                setOutage(Outage.NONE);
            }
        }, forHowLong.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void setOutage(Outage next) {
        Outage before = this.outage;
        this.outage = next;
        Switch s = listeners;
        if (s != null && (before == Outage.REFUSED) != (next == Outage.REFUSED)) {
            s.outage().accept(next);
        }
    }

    public Faults oauth(OAuthState state) {
        oauthGeneration.incrementAndGet();
        setOauth(state);
        return this;
    }

    public Faults oauth(OAuthState state, Duration forHowLong) {
        long gen = oauthGeneration.incrementAndGet();
        setOauth(state);
        timer.schedule(() -> {
            if (oauthGeneration.get() == gen) {
                setOauth(OAuthState.UP);
            }
        }, forHowLong.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void setOauth(OAuthState next) {
        OAuthState before = this.oauth;
        this.oauth = next;
        Switch s = listeners;
        if (s != null && (before == OAuthState.REFUSED) != (next == OAuthState.REFUSED)) {
            s.oauth().accept(next);
        }
    }

    /** Every request waits this long before it is looked at. */
    public Faults latency(Duration latency) {
        this.latency = latency == null || latency.isNegative() ? Duration.ZERO : latency;
        return this;
    }

    /** This share of requests (0..1) answers 500 INTERNAL_SERVER_ERROR without running. */
    public Faults errorRate(double rate) {
        this.errorRate = clamp(rate);
        return this;
    }

    /**
     * This share of requests (0..1) is refused by the box's limits without running: every other one 503
     * {@code QUERY_LIMIT_EXCEEDED} (the request-rate limit, as {@link RateLimiter} answers it) and 429
     * {@code OPERATION_TIME_LIMIT} (a method's time budget spent) — a busy box at random, not at a steady rate.
     */
    public Faults limitRate(double rate) {
        this.limitRate = clamp(rate);
        return this;
    }

    /** The limit a refused request meets now, or null: it goes through. */
    String limitNow() {
        if (!roll(limitRate)) {
            return null;
        }
        return limitsMet.getAndIncrement() % 2 == 0 ? "QUERY_LIMIT_EXCEEDED" : "OPERATION_TIME_LIMIT";
    }

    /** This share of requests runs, then waits {@code delay} before answering (client timeouts). */
    public Faults slow(double rate, Duration delay) {
        this.slowRate = clamp(rate);
        this.slowDelay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
        return this;
    }

    /** This share of requests loses its connection without an answer, before or after the method ran. */
    public Faults drop(double rate, DropPoint point) {
        this.dropRate = clamp(rate);
        this.dropPoint = point;
        return this;
    }

    /**
     * These methods (names in any case; {@code *} for every one) answer 429 {@code OPERATION_TIME_LIMIT} "Method is
     * blocked due to operation time limit." — the box's own limit (rest/classes/general/rest.php:213), off on a box
     * unless its administrator switches it on (docs limits.md: then 420 s of work per method and 10 minutes).
     * Empty: none. (QUERY_LIMIT_EXCEEDED is a cloud portal's limit: {@link RateLimiter}.)
     */
    public Faults operationTimeLimit(java.util.Set<String> methods) {
        java.util.Set<String> lower = new java.util.TreeSet<>();
        methods.forEach(m -> lower.add(m.toLowerCase(java.util.Locale.ROOT)));
        this.operationLimited = java.util.Set.copyOf(lower);
        return this;
    }

    boolean operationLimited(String method) {
        java.util.Set<String> limited = operationLimited;
        return !limited.isEmpty() && (limited.contains("*") || limited.contains(method.toLowerCase(java.util.Locale.ROOT)));
    }

    /** No faults at all (an outage and the OAuth state are restored too). */
    public Faults clear() {
        latency = Duration.ZERO;
        errorRate = 0;
        limitRate = 0;
        slowRate = 0;
        slowDelay = Duration.ZERO;
        dropRate = 0;
        dropPoint = DropPoint.BEFORE_EXECUTION;
        operationLimited = java.util.Set.of();
        outage(Outage.NONE);
        oauth(OAuthState.UP);
        return this;
    }

    public View view() {
        return new View(outage, latency.toMillis(), errorRate, slowRate, slowDelay.toMillis(), dropRate, dropPoint,
                oauth, operationLimited);
    }

    Outage currentOutage() {
        return outage;
    }

    OAuthState currentOauth() {
        return oauth;
    }

    Duration latency() {
        return latency;
    }

    boolean failNow() {
        return roll(errorRate);
    }

    boolean dropNow(DropPoint at) {
        return dropPoint == at && roll(dropRate);
    }

    Duration slowNow() {
        return roll(slowRate) ? slowDelay : Duration.ZERO;
    }

    /** Runs {@code work} on the fault timer, so a listener is never closed from one of its own requests. */
    void later(Runnable work) {
        timer.schedule(work, 50, TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        timer.shutdownNow();
    }

    private static boolean roll(double rate) {
        return rate > 0 && (rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate);
    }

    private static double clamp(double rate) {
        if (Double.isNaN(rate)) {
            return 0;
        }
        return Math.max(0, Math.min(1, rate));
    }

    static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
