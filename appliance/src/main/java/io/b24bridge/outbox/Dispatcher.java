package io.b24bridge.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.bitrix.BoxException;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CrmCommand;

/**
 * Sends the outbox to the box: in order within a call (one worker per call at a time), in parallel across
 * calls, retrying with backoff what the box could not take now — for as long as it takes, since every call
 * must reach the CRM — and setting aside as dead letters what it will never take. A call whose command is
 * dead waits until an operator retries it, so nothing is sent out of order.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(60);
    static final Duration MAX_AUTH_PAUSE = Duration.ofMinutes(5);

    private enum Work { RUNNING, AGAIN }

    private final OutboxStore store;
    private final CommandExecutor executor;
    private final Clock clock;
    private final Semaphore permits;
    private final ConcurrentHashMap<CallKey, Work> inFlight = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile boolean running = true;
    private final Thread scheduler;

    public Dispatcher(OutboxStore store, CommandExecutor executor, int parallelism, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.permits = new Semaphore(parallelism);
        this.scheduler = Thread.ofPlatform().name("outbox-scheduler").daemon().unstarted(this::schedule);
    }

    public void start() {
        scheduler.start();
    }

    /** New commands for these calls were committed: send them now. */
    public void wake(List<CallKey> calls) {
        for (CallKey call : calls) {
            dispatch(call);
        }
    }

    /** Something changed (an operator's retry): look at the whole outbox now. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void schedule() {
        while (running) {
            try {
                for (CallKey call : store.readyCalls(clock.instant(), 500)) {
                    dispatch(call);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "outbox scan failed: " + e.getMessage(), e);
            }
            synchronized (signal) {
                try {
                    signal.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void dispatch(CallKey call) {
        if (!running) {
            return;
        }
        Work previous = inFlight.putIfAbsent(call, Work.RUNNING);
        if (previous != null) {
            inFlight.put(call, Work.AGAIN); // its worker looks once more before it leaves
            return;
        }
        Thread.ofVirtual().name("outbox-" + call).start(() -> {
            boolean acquired = false;
            try {
                permits.acquire();
                acquired = true;
                do {
                    inFlight.put(call, Work.RUNNING);
                    drain(call);
                } while (!inFlight.remove(call, Work.RUNNING) && running);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.remove(call);
                if (acquired) {
                    permits.release();
                }
            }
        });
    }

    /** Sends the call's commands in order until one must wait. */
    private void drain(CallKey call) {
        while (running) {
            Optional<OutboxStore.Entry> head = store.head(call);
            if (head.isEmpty() || head.get().state().equals("DEAD") || head.get().nextAt().isAfter(clock.instant())) {
                return;
            }
            OutboxStore.Entry e = head.get();
            boolean maybeSent = e.state().equals("SENDING");
            if (e.command() instanceof CrmCommand.Finish && !maybeSent) {
                store.sending(e); // a finish must be recognised if a crash cuts in after the box took it
            }
            try {
                String callId = e.command() instanceof CrmCommand.Register ? null
                        : store.bitrixCallId(call).orElse(null);
                CommandExecutor.Outcome outcome = executor.execute(e.command(), callId, maybeSent);
                store.done(e, outcome.bitrixCallId());
                sent.incrementAndGet();
            } catch (BoxException b) {
                switch (b) {
                    case BoxException.Fatal f -> {
                        store.dead(e, f.getMessage());
                        deadLetters.incrementAndGet();
                        LOG.warning("outbox: " + CrmCommand.kind(e.command()) + " of call " + call + " failed for "
                                + "good and was set aside (retry it with POST /api/outbox/dead/" + e.id() + "/retry): "
                                + f.getMessage());
                    }
                    case BoxException.Auth a -> {
                        failures.incrementAndGet();
                        store.retryAt(e, clock.instant().plus(pause(e.attempts(), Duration.ofSeconds(30),
                                MAX_AUTH_PAUSE)), a.getMessage());
                    }
                    case BoxException.Retryable r -> {
                        failures.incrementAndGet();
                        store.retryAt(e, clock.instant().plus(pause(e.attempts(), Duration.ofSeconds(1),
                                MAX_RETRY_PAUSE)), r.getMessage());
                    }
                }
                return;
            } catch (RuntimeException ex) {
                failures.incrementAndGet();
                LOG.log(Level.WARNING, "outbox: unexpected failure on call " + call, ex);
                store.retryAt(e, clock.instant().plus(MAX_RETRY_PAUSE), String.valueOf(ex));
                return;
            }
        }
    }

    /** Exponential pause with jitter, so a recovering box is not met by every call at once. */
    static Duration pause(int attempts, Duration first, Duration max) {
        long millis = first.toMillis() << Math.min(attempts, 16);
        millis = Math.min(millis, max.toMillis());
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    /** For /health and metrics. */
    public record Stats(long sent, long failures, long deadLetters, int callsInFlight) {
    }

    public Stats stats() {
        return new Stats(sent.get(), failures.get(), deadLetters.get(), inFlight.size());
    }

    /** Stops taking new work and waits (up to {@code grace}) for commands being sent. */
    public void stop(Duration grace) {
        running = false;
        scheduler.interrupt();
        try {
            long deadline = System.nanoTime() + grace.toNanos();
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!inFlight.isEmpty()) {
            LOG.warning("outbox: " + inFlight.size() + " calls were still sending at stop; they resume on the next start");
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
