package io.b24bridge.bitrix.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.retry.Backoff;

/**
 * Hands the inbox's events to their listeners on a thread of its own: in the order received, each event to the
 * listeners of its name and to those of every event, marked handled when they all returned. A listener that throws
 * has the event handled again later (the others' events go on meanwhile); after {@link #MAX_ATTEMPTS} it is set aside
 * ({@code DEAD}) and /health says so.
 *
 * <p>The seam for what acts on the box's events: the install today ({@code Installs}), click-to-call and callbacks
 * next — {@code subscribe(BoxEvent.EXTERNAL_CALL_START, listener)} before {@link #start()}.
 */
public final class InboxHandler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InboxHandler.class.getName());
    static final int MAX_ATTEMPTS = 10;
    static final Backoff RETRY = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(5));
    /** Handled events are kept this long for their dedupe keys, then forgotten. */
    static final Duration KEEP_HANDLED = Duration.ofDays(30);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final EventInbox inbox;
    private final Clock clock;
    private final Map<String, List<BoxEvent.Listener>> byName = new ConcurrentHashMap<>();
    private final List<BoxEvent.Listener> all = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private Instant lastPurge = Instant.EPOCH;

    public InboxHandler(EventInbox inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    /** {@code listener} gets every event named {@code event} (e.g. {@link BoxEvent#EXTERNAL_CALL_START}). */
    public void subscribe(String event, BoxEvent.Listener listener) {
        byName.computeIfAbsent(event.toUpperCase(Locale.ROOT), k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** {@code listener} gets every event. */
    public void addListener(BoxEvent.Listener listener) {
        all.add(listener);
    }

    public EventInbox inbox() {
        return inbox;
    }

    /** Starts handling: what is stored goes now, new events as they are stored. */
    public InboxHandler start() {
        running = true;
        thread = Thread.ofPlatform().name("bitrix24-events").daemon().start(this::loop);
        return this;
    }

    /** Something was stored: handle it now. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /**
     * Handles every due event on the caller's thread before returning (the cloud POST of an install: the tokens must
     * be in place before the box's next event is checked against them). Shares the handling's lock, so order holds.
     */
    public void handleNow() {
        drain();
    }

    private void loop() {
        while (running) {
            try {
                drain();
                purge();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "box events: handling failed: " + e.getMessage(), e);
            }
            synchronized (signal) {
                try {
                    signal.wait(IDLE.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void drain() {
        for (List<BoxEvent> due = inbox.due(100); !due.isEmpty() && running; due = inbox.due(100)) {
            for (BoxEvent e : due) {
                handle(e);
            }
        }
    }

    private void handle(BoxEvent e) {
        List<BoxEvent.Listener> listeners = byName.getOrDefault(e.name(), List.of());
        if (listeners.isEmpty() && all.isEmpty()) {
            LOG.info(() -> "event " + e.name() + " stored; nothing in this version acts on it");
        }
        try {
            for (BoxEvent.Listener l : listeners) {
                l.onEvent(e);
            }
            for (BoxEvent.Listener l : all) {
                l.onEvent(e);
            }
            inbox.handled(e.id());
            handled.incrementAndGet();
        } catch (Exception ex) {
            failures.incrementAndGet();
            String why = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            if (e.attempt() >= MAX_ATTEMPTS) {
                inbox.dead(e.id(), why);
                LOG.warning("event " + e.name() + " (inbox " + e.id() + ") failed " + e.attempt() + " times and is set "
                        + "aside: " + why);
            } else {
                inbox.retryAt(e.id(), clock.instant().plus(RETRY.delay(e.attempt() - 1)), why);
                LOG.log(e.attempt() == 1 ? Level.WARNING : Level.FINE, "event " + e.name() + " (inbox " + e.id()
                        + ") failed, handled again later: " + why);
            }
        }
    }

    private void purge() {
        Instant now = clock.instant();
        if (Duration.between(lastPurge, now).toHours() >= 1) {
            lastPurge = now;
            int n = inbox.purgeHandled(now.minus(KEEP_HANDLED));
            if (n > 0) {
                LOG.fine(() -> "box events: " + n + " handled events older than " + KEEP_HANDLED.toDays()
                        + " days forgotten");
            }
        }
    }

    /** Handled since start, and failed handlings since start. */
    public record Stats(long handled, long failures) {
    }

    public Stats stats() {
        return new Stats(handled.get(), failures.get());
    }

    /**
     * Stops after the event being handled. Not by interrupting: an interrupt in the middle of a database call makes
     * Derby close the connection.
     */
    @Override
    public void close() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
