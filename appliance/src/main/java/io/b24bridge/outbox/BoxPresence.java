package io.b24bridge.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * Whether the box takes connections, as the outbox's own requests tell, and when it is next probed. While it refuses
 * them, each command waiting out its own doubling pause (up to 30 s) is no way to learn it is back: the backlog
 * stood idle for up to that long after the box returned, its rate limit unused. Instead one command is tried every
 * {@link #PROBE_EVERY} whatever its pause, and the first answer makes the whole backlog due at once
 * ({@link OutboxSender#boxRecovered}). A box that answers, even with an error, is present: only a connection that
 * never came ({@code UNREACHABLE}: refused, unreachable, TLS refused) makes it away — a busy box's 503 or a rate
 * limit's refusal keep their own pauses, and a probe there would only add load. Unknown at start (the commands
 * stored by an earlier run may all be waiting out pauses), so the first scan probes.
 */
final class BoxPresence {

    private static final Logger LOG = Logger.getLogger(BoxPresence.class.getName());
    /** How often a box that refuses connections is tried: one connection attempt, cheap when it fails. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    static final String AWAY_CODE = "UNREACHABLE";

    private final AtomicBoolean away = new AtomicBoolean(true);
    private final Runnable onReturn;
    private volatile Instant nextProbe = Instant.MIN;

    /** @param onReturn run when the box answers after it was away (or at the first answer after the start) */
    BoxPresence(Runnable onReturn) {
        this.onReturn = onReturn;
    }

    /**
     * A command failed: the box is away when no connection came; any other answer of the box (an error, refused
     * credentials) says it is there — its commands keep their pauses, nothing is made due. The appliance's own
     * refusals ({@link #OURS}: a recording still being written, no CALL_ID yet) say nothing of the box.
     */
    void failed(Failure f) {
        if (AWAY_CODE.equals(f.code())) {
            away.set(true);
        } else if (!OURS.contains(f.code())) {
            away.set(false);
        }
    }

    /** Failure codes the appliance gives a command it did not send. */
    static final Set<String> OURS = Set.of("RECORDING_NOT_READY", "NO_CALL_ID");

    /** The box answered: when it was away (or not known yet), what waits for it goes now. */
    void answered() {
        if (away.compareAndSet(true, false)) {
            try {
                onReturn.run();
            } catch (RuntimeException e) {
                // never into the send that told it (that would take a command the box took for one to repeat): the
                // backlog then waits out its pauses, as it would without the probe
                LOG.warning("outbox: the box answers again, but making the backlog due failed: " + e);
            }
        }
    }

    boolean away() {
        return away.get();
    }

    /** Whether a probe is due now; if so, the next one is due {@link #PROBE_EVERY} later. */
    synchronized boolean probeDue(Instant now) {
        if (!away.get() || now.isBefore(nextProbe)) {
            return false;
        }
        nextProbe = now.plus(PROBE_EVERY);
        return true;
    }

    /** How long the scheduler may sleep before the next probe is due (a full poll when the box is present). */
    Duration untilProbe(Instant now, Duration poll) {
        if (!away.get()) {
            return poll;
        }
        Duration d = Duration.between(now, nextProbe);
        return d.isNegative() ? Duration.ZERO : d.compareTo(poll) < 0 ? d : poll;
    }
}
