package io.b24bridge.bitrix.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.Params;
import io.b24bridge.retry.Backoff;

/**
 * Takes the box's events from the b24bridge module's queue (docs/box-module.md), on a thread of its own: a long
 * {@code b24bridge.events.pull} (the module answers as soon as an event is queued, else after {@code wait}), every
 * event stored in the {@link EventInbox} — once, by the module's event id — and then {@code b24bridge.events.ack} of
 * the last one. At least once and in order: the module keeps what is not acknowledged and gives it again with the same
 * id; an event stored before a crash cut the acknowledgement off comes again and is recognised. The box away or the
 * module refusing: the next pull waits (1 s, doubling to 30 s). The appliance needs no inbound port for this.
 */
public final class ModuleEventPuller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModuleEventPuller.class.getName());
    static final int LIMIT = 50;
    static final Backoff AFTER_FAILURE = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** Beyond the pull's own wait, how long its answer may take (the box's PHP, nginx, the LAN). */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(20);

    private final BoxClient client;
    private final InboxHandler handler;
    private final Duration wait;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final AtomicLong pulled = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    /** Held while a pull's events are stored and acknowledged: {@link #close} does not interrupt that. */
    private final ReentrantLock storing = new ReentrantLock();
    private volatile Instant lastPull;
    private volatile Instant lastEvent;
    private volatile String lastError;

    /** @param wait how long one pull waits for an event (0: a short poll every second) */
    public ModuleEventPuller(BoxClient client, InboxHandler handler, Duration wait, ObjectMapper mapper, Clock clock) {
        this.client = client;
        this.handler = handler;
        this.wait = wait;
        this.mapper = mapper;
        this.clock = clock;
    }

    public ModuleEventPuller start() {
        running = true;
        thread = Thread.ofPlatform().name("bitrix24-module-pull").daemon().start(this::loop);
        return this;
    }

    private void loop() {
        Backoff.Attempts failures = AFTER_FAILURE.attempts();
        while (running) {
            try {
                int n = pullOnce();
                failures.reset();
                if (n == 0 && wait.isZero()) {
                    Thread.sleep(1000);
                }
            } catch (BoxException e) {
                String why = e.getMessage();
                if (lastError == null || !lastError.equals(why)) {
                    LOG.warning("events from the b24bridge module: " + why + "; pulling again shortly");
                }
                lastError = why;
                sleep(failures.next());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastError = String.valueOf(e);
                LOG.log(Level.WARNING, "events from the b24bridge module: " + e, e);
                sleep(failures.next());
            }
        }
    }

    /**
     * One pull: stores what came, acknowledges the last of it; returns how many events came.
     *
     * @throws InterruptedException when stopped while waiting for the answer
     */
    int pullOnce() throws BoxException, InterruptedException {
        JsonNode result = client.call("b24bridge.events.pull", Params.of().put("wait", wait.toSeconds())
                .put("limit", LIMIT), wait.plus(ANSWER_MARGIN));
        storing.lock();
        try {
            if (!running) {
                throw new InterruptedException("stopped"); // not acknowledged: the module gives them again next time
            }
            return store(result);
        } finally {
            storing.unlock();
        }
    }

    /** Stores what a pull brought and acknowledges it; returns how many events came. */
    private int store(JsonNode result) throws BoxException {
        lastPull = clock.instant();
        lastError = null;
        JsonNode events = result.path("events");
        long last = -1;
        for (JsonNode item : events) {
            long id = item.path("id").asLong(-1);
            if (id <= 0 || !item.path("id").isIntegralNumber()) {
                // without an id it can be neither told apart nor acknowledged: the module's answer is broken
                throw new IllegalStateException("the module gave an event without an id: " + item.path("id"));
            }
            last = Math.max(last, id);
            String name = item.path("event").asText("").toUpperCase(Locale.ROOT);
            String refusal = refusal(name, item);
            if (refusal != null) {
                // it will never be right: acknowledged with the rest, so that it does not hold the queue up
                LOG.warning("event " + id + " from the b24bridge module refused: " + refusal);
                continue;
            }
            Map<String, Object> form = mapper.convertValue(item, new TypeReference<>() { });
            EventInbox.Stored stored = handler.inbox().store(new EventInbox.Incoming("module:" + id, "module", name,
                    form));
            (stored.fresh() ? pulled : repeats).incrementAndGet();
        }
        if (last < 0) {
            return 0;
        }
        lastEvent = clock.instant();
        handler.wake();
        acknowledge(last);
        return events.size();
    }

    /** Why an event cannot be stored (a name no box event has, a size no box event has), or null. */
    static String refusal(String name, JsonNode item) {
        if (!BoxEventsService.EVENT_NAME.matcher(name).matches()) {
            return "its name is not an event's: " + (name.length() > 80 ? name.substring(0, 80) + "…" : name);
        }
        if (item.toString().length() > BoxEventsService.MAX_BODY) {
            return "larger than " + BoxEventsService.MAX_BODY / 1024 + " KiB";
        }
        return null;
    }

    /** Every event up to {@code id} is stored: the module may forget them. */
    private void acknowledge(long id) throws BoxException {
        try {
            client.call("b24bridge.events.ack", Params.of().put("id", id));
        } catch (BoxException.Fatal e) {
            if (e.code().equals("ALREADY_ACKNOWLEDGED")) {
                return; // an acknowledgement whose answer was lost went through: nothing left to do
            }
            // NOT_DELIVERED and the like: the events are stored, the module will give them again, the inbox knows them
            LOG.warning("the b24bridge module refused the acknowledgement of event " + id + ": " + e.getMessage());
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * For /health: when the last pull answered, when the last event came, events stored and repeats recognised
     * since start, and the last failure (null after a pull that answered).
     */
    public record Status(Instant lastPull, Instant lastEvent, long pulled, long repeats, String lastError) {
    }

    public Status status() {
        return new Status(lastPull, lastEvent, pulled.get(), repeats.get(), lastError);
    }

    /**
     * Stops: a long poll waiting for events is cut off (an interrupt ends the HTTP wait), but never while events are
     * being stored — an interrupt in the middle of a database call makes Derby close the connection.
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            storing.lock();
            try {
                t.interrupt();
            } finally {
                storing.unlock();
            }
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
