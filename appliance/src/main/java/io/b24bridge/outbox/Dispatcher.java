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
    /** A box that is away is probed at least this often by the waiting commands themselves. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);
    static final Duration MAX_AUTH_PAUSE = Duration.ofMinutes(5);

    private enum Work { RUNNING, AGAIN }

    private final OutboxStore store;
    private final CommandExecutor executor;
    private final Clock clock;
    private final Semaphore permits;
    private final ConcurrentHashMap<CallKey, Work> inFlight = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final Counters counters = new Counters();
    private final BatchRound batches;
    private volatile boolean running = true;
    private final Thread scheduler;

    /** Ready calls from which the outbox counts as behind and goes out in batches. */
    static final int BATCH_FROM = 20;

    /**
     * @param client the box client for batches; null sends every command alone
     */
    public Dispatcher(OutboxStore store, CommandExecutor executor, io.b24bridge.bitrix.BoxClient client,
                      int parallelism, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.batches = client == null ? null : new BatchRound(store, executor, client, clock);
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

    /** The box answers again after failures: what waits out a retry pause goes now. */
    public void boxRecovered() {
        int due = store.dueNow();
        if (due > 0) {
            LOG.info("outbox: the box is back; " + due + " waiting commands go now");
        }
        wake();
    }

    /** Something changed (an operator's retry): look at the whole outbox now. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void schedule() {
        while (running) {
            boolean behind = false;
            try {
                List<CallKey> ready = store.readyCalls(clock.instant(), 1000).stream()
                        .filter(c -> !inFlight.containsKey(c)).toList();
                if (batches != null && ready.size() >= BATCH_FROM) {
                    behind = true;
                    for (int i = 0; i < ready.size(); i += io.b24bridge.bitrix.Batch.MAX_COMMANDS) {
                        batch(ready.subList(i, Math.min(ready.size(), i + io.b24bridge.bitrix.Batch.MAX_COMMANDS)));
                    }
                } else {
                    ready.forEach(this::dispatch);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "outbox scan failed: " + e.getMessage(), e);
            }
            if (behind) {
                continue; // more may be ready: no pause while catching up
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

    /**
     * Starts a worker for the call when one is free. When all are busy the call is left to the scheduler,
     * which sends what waits in batches once enough has piled up, so a burst does not queue hundreds of
     * workers each waiting for its turn with one command.
     */
    private void dispatch(CallKey call) {
        if (!running) {
            return;
        }
        Work previous = inFlight.putIfAbsent(call, Work.RUNNING);
        if (previous != null) {
            inFlight.put(call, Work.AGAIN); // its worker looks once more before it leaves
            return;
        }
        if (!permits.tryAcquire()) {
            inFlight.remove(call, Work.RUNNING);
            return; // all workers busy: the scheduler takes it (in a batch when the outbox is behind)
        }
        Thread.ofVirtual().name("outbox-" + call).start(() -> {
            try {
                do {
                    inFlight.put(call, Work.RUNNING);
                    drain(call);
                } while (!inFlight.remove(call, Work.RUNNING) && running);
            } finally {
                inFlight.remove(call);
                permits.release();
                wake(); // a worker is free: what waits may go
            }
        });
    }

    /** One batch round for these calls: claimed, sent together, released. Runs on the scheduler thread. */
    private void batch(List<CallKey> calls) {
        List<CallKey> claimed = new java.util.ArrayList<>();
        List<OutboxStore.Entry> heads = new java.util.ArrayList<>();
        try {
            for (CallKey call : calls) {
                if (inFlight.putIfAbsent(call, Work.RUNNING) != null) {
                    continue;
                }
                claimed.add(call);
                store.head(call).filter(e -> !e.state().equals("DEAD") && !e.nextAt().isAfter(clock.instant()))
                        .ifPresent(e -> {
                            if (CommandExecutor.batchable(e.command())) {
                                heads.add(e);
                            }
                        });
            }
            if (!heads.isEmpty()) {
                batches.send(heads, counters);
            }
        } finally {
            claimed.forEach(inFlight::remove);
        }
        // recordings do not travel in batches: their calls go the single way
        for (CallKey call : claimed) {
            if (heads.stream().noneMatch(h -> h.call().equals(call))) {
                dispatch(call);
            }
        }
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
                OutboxStore.CrmEntity entity = e.command() instanceof CrmCommand.RatingComment
                        ? store.crmEntity(call).orElse(null) : null;
                CommandExecutor.Outcome outcome = executor.execute(e.command(), callId, entity, maybeSent,
                        Duration.between(e.createdAt(), clock.instant()));
                store.done(e, outcome.bitrixCallId(), outcome.entity());
                counters.sent();
            } catch (BoxException b) {
                settleFailure(store, e, b, clock, counters);
                return;
            } catch (RuntimeException ex) {
                counters.failure();
                LOG.log(Level.WARNING, "outbox: unexpected failure on call " + call, ex);
                store.retryAt(e, clock.instant().plus(MAX_RETRY_PAUSE), String.valueOf(ex));
                return;
            }
        }
    }

    /** What a failed command becomes: a dead letter (fatal) or due again after a pause (retryable, auth). */
    static void settleFailure(OutboxStore store, OutboxStore.Entry e, BoxException b, Clock clock, Counters counters) {
        switch (b) {
            case BoxException.Fatal f -> {
                store.dead(e, f.getMessage());
                counters.dead();
                LOG.warning("outbox: " + CrmCommand.kind(e.command()) + " of call " + e.call() + " failed for good "
                        + "and was set aside (retry it with POST /api/outbox/dead/" + e.id() + "/retry): "
                        + f.getMessage());
            }
            case BoxException.Auth a -> {
                counters.failure();
                store.retryAt(e, clock.instant().plus(pause(e.attempts(), Duration.ofSeconds(30), MAX_AUTH_PAUSE)),
                        a.getMessage());
            }
            case BoxException.Retryable r -> {
                counters.failure();
                store.retryAt(e, clock.instant().plus(pause(e.attempts(), Duration.ofSeconds(1), MAX_RETRY_PAUSE)),
                        r.getMessage());
            }
        }
    }

    /** What the dispatcher did since start. */
    static final class Counters {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong dead = new AtomicLong();
        private final AtomicLong batches = new AtomicLong();

        void sent() {
            sent.incrementAndGet();
        }

        void failure() {
            failures.incrementAndGet();
        }

        void dead() {
            dead.incrementAndGet();
        }

        void batch() {
            batches.incrementAndGet();
        }
    }

    /** Exponential pause with jitter, so a recovering box is not met by every call at once. */
    static Duration pause(int attempts, Duration first, Duration max) {
        long millis = first.toMillis() << Math.min(attempts, 16);
        millis = Math.min(millis, max.toMillis());
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    /** For /health and metrics. */
    public record Stats(long sent, long failures, long deadLetters, long batches, int callsInFlight) {
    }

    public Stats stats() {
        return new Stats(counters.sent.get(), counters.failures.get(), counters.dead.get(), counters.batches.get(),
                inFlight.size());
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
