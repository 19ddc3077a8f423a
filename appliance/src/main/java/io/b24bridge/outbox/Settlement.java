package io.b24bridge.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import io.b24bridge.crm.CrmCommand;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.retry.Backoff;

/**
 * What becomes of a command the box did not take — due again after a pause, or a dead letter — and the
 * dispatcher's counters of what it did. Shared by the single sends and the batch rounds.
 */
final class Settlement {

    private static final Logger LOG = Logger.getLogger(Settlement.class.getName());
    /** A box that is away is probed at least this often by the waiting commands themselves. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);
    static final Duration MAX_AUTH_PAUSE = Duration.ofMinutes(5);
    /**
     * Pauses after a failure, doubling per attempt and spread over their second half, so a recovering box is not
     * met by every call at once.
     */
    static final Backoff RETRY = Backoff.doubling(Duration.ofSeconds(1), MAX_RETRY_PAUSE).jitter(0.5, 1);
    /**
     * The pause after the box refused a request at its limits without running it (QUERY_LIMIT_EXCEEDED, 429,
     * OPERATION_TIME_LIMIT): short and not growing with the attempts, since the box is there and the client's own
     * limiter (which the refusal slowed down) paces what goes next — a doubling pause would leave the box's
     * allowance unused while the commands sit out their growing pauses.
     */
    static final Backoff LIMITED = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(1)).jitter(0.5, 1);
    static final java.util.Set<String> LIMIT_CODES = java.util.Set.of("QUERY_LIMIT_EXCEEDED", "HTTP_429",
            "OPERATION_TIME_LIMIT");
    /** Longer pauses when the credentials do not work: an operator has to act, or the install event comes. */
    static final Backoff AUTH = Backoff.doubling(Duration.ofSeconds(30), MAX_AUTH_PAUSE).jitter(0.5, 1);
    static final Duration MAX_SLOW_PAUSE = Duration.ofMinutes(30);
    /**
     * Long pauses when the box's web server turns a command away (a recording over its client_max_body_size): the
     * same large request again every few seconds would only load the network, and the fix takes an operator.
     */
    static final Backoff SLOW = Backoff.doubling(Duration.ofMinutes(1), MAX_SLOW_PAUSE).jitter(0.8, 1);

    private final Outbox outbox;
    private final Clock clock;
    private final BoxPresence presence;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    Settlement(Outbox outbox, Clock clock, BoxPresence presence) {
        this.outbox = outbox;
        this.clock = clock;
        this.presence = presence;
    }

    /** The command went (or needed nothing sent); what register taught is kept with it. */
    void done(OutboxQueue.Entry e, BoxGateway.Registration learned) {
        outbox.done(e, learned);
        presence.answered();
        sent.incrementAndGet();
    }

    /** Commands of a batch that went, settled together (one transaction). */
    void doneAll(List<Outbox.Done> done) {
        outbox.doneAll(done);
        if (!done.isEmpty()) {
            presence.answered();
        }
        sent.addAndGet(done.size());
    }

    /** What a failed command becomes: a dead letter (rejected) or due again after a pause. */
    void failed(OutboxQueue.Entry e, Failure f) {
        presence.failed(f);
        switch (f.kind()) {
            case REJECTED, CALL_ALREADY_FINISHED -> {
                outbox.queue().dead(e, f.getMessage());
                dead.incrementAndGet();
                LOG.warning("outbox: " + e.kind() + " of call " + e.call() + " failed for good and was set aside "
                        + "(retry it with POST /api/outbox/dead/" + e.id() + "/retry): " + f.getMessage());
            }
            case CREDENTIALS -> {
                failures.incrementAndGet();
                outbox.queue().retryAt(e, clock.instant().plus(AUTH.delay(e.attempts())), f.getMessage(),
                        stillUncertain(e, f));
            }
            case RETRY_LATER -> {
                failures.incrementAndGet();
                Backoff pause = LIMIT_CODES.contains(f.code()) ? LIMITED : RETRY;
                outbox.queue().retryAt(e, clock.instant().plus(pause.delay(e.attempts())), f.getMessage(),
                        stillUncertain(e, f));
            }
            case RETRY_SLOWLY -> {
                failures.incrementAndGet();
                outbox.queue().retryAt(e, clock.instant().plus(SLOW.delay(e.attempts())), f.getMessage());
            }
        }
    }

    /**
     * Whether a command marked as possibly sent stays so after this failure: it was uncertain before this attempt, or
     * this attempt's answer was lost. A register the box answered with a refusal (or never got) did not happen, and
     * must not be treated as one that may have (that would cost a lookup, and its place in batches).
     */
    static boolean stillUncertain(OutboxQueue.Entry e, Failure f) {
        return e.maybeSent() || !(e.command() instanceof CrmCommand.Register) || f.answerLost();
    }

    /** Something unforeseen went wrong (a bug, the database): tried again after the longest retry pause. */
    void unexpected(OutboxQueue.Entry e, RuntimeException ex) {
        failures.incrementAndGet();
        outbox.queue().retryAt(e, clock.instant().plus(MAX_RETRY_PAUSE), String.valueOf(ex));
    }

    void batchSent() {
        batches.incrementAndGet();
    }

    long sent() {
        return sent.get();
    }

    long failures() {
        return failures.get();
    }

    long dead() {
        return dead.get();
    }

    long batches() {
        return batches.get();
    }
}
