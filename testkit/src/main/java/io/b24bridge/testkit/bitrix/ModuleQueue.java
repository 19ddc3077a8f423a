package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The b24bridge module's event queue, the {@link EventSender} of a box with the module (box-module
 * {@code Event\QueueProvider}, {@code Event\EventQueue}, {@code Event\Delivery}): the b24bridge application's events
 * are queued on the box — no token in the queue, as the box's own items carry none (sender.php:239-259) — and the
 * appliance takes them with {@code b24bridge.events.pull} and acknowledges them with {@code b24bridge.events.ack}.
 * Every other event goes to the box's cloud provider, which an air-gapped box cannot reach: {@code NOT_SENT}.
 * <p>
 * Ids only grow, also across a reset (seeded from the clock like the module's AUTO_INCREMENT); an event leaves the
 * queue only when acknowledged, comes again with the same id and a higher {@code attempt} until then, and a pull
 * answers as soon as there is one (here a condition, where the module looks every 50 ms).
 */
final class ModuleQueue implements EventSender {

    static final int MAX_WAIT_SECONDS = 25;
    static final int MAX_LIMIT = 100;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** One queued event: what the box's queue item held, plus the module's bookkeeping. */
    private static final class Row {
        final long id;
        final Instant queuedAt;
        final EventSender.Outgoing event;
        final long ts;
        final DeliveryLog.Entry log;
        final CompletableFuture<Delivery> acknowledged = new CompletableFuture<>();
        int deliveries;

        Row(long id, Instant queuedAt, EventSender.Outgoing event, long ts, DeliveryLog.Entry log) {
            this.id = id;
            this.queuedAt = queuedAt;
            this.event = event;
            this.ts = ts;
            this.log = log;
        }
    }

    /** What an acknowledgement did: the count and where the queue stands, or why nothing changed. */
    record Ack(int acknowledged, long ackedThrough, String error, String description) {
    }

    /** What {@code b24bridge.status} tells about the queue. */
    record Status(int depth, Map<String, Object> oldestUndelivered, long ackedThrough, Instant lastPull) {
    }

    private final Clock clock;
    private final DeliveryLog log;
    private final Function<Row, Map<String, Object>> authOf;
    private final List<Row> rows = new ArrayList<>();
    private long lastId;
    private long ackedThrough;
    private Instant lastPull;

    /**
     * @param auth builds an event's {@code auth[...]} when it is pulled: (the user it is tied to or null, whether a
     *             refresh token goes along) → the block
     */
    ModuleQueue(Clock clock, DeliveryLog log, AuthBuilder auth) {
        this.clock = clock;
        this.log = log;
        this.authOf = r -> auth.auth(r.event.userId(), r.event.withRefresh(), r.event.appToken());
        // the install's sentinel: ids start above the clock in microseconds and the first event is one more
        this.lastId = clock.millis() * 1000;
        this.ackedThrough = lastId;
    }

    /** Builds the {@code auth[...]} block of an event at the moment it is pulled ({@code Event\Delivery::auth}). */
    interface AuthBuilder {
        Map<String, Object> auth(Integer userId, boolean withRefresh, String applicationToken);
    }

    @Override
    public Sent send(Outgoing e) {
        if (e.kind() != EventBinding.Kind.APPLICATION) {
            // QueueProvider passes other owners' events to the provider it wraps: the cloud, out of reach
            DeliveryLog.Entry entry = log.start(e.event(), e.handler(), e.bindingId(), e.kind().name(), Map.of());
            return new Sent(null, CompletableFuture.completedFuture(entry.end(CloudQueue.NOT_SENT)));
        }
        Row row;
        synchronized (this) {
            lastId++;
            row = new Row(lastId, clock.instant(), e, clock.instant().getEpochSecond(),
                    log.start(e.event(), "b24bridge.events.pull", e.bindingId(), e.kind().name(), e.data()));
            rows.add(row);
            notifyAll();
        }
        return new Sent(null, row.acknowledged);
    }

    /**
     * The oldest events not acknowledged, as soon as there is one or after {@code wait}; each counts as delivered
     * once more. Items are what the appliance receives ({@link #item}).
     */
    List<Map<String, Object>> pull(Duration wait, int limit) {
        List<Row> taken = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        synchronized (this) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (rows.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (Row r : rows) {
                if (taken.size() == limit) {
                    break;
                }
                attempts.add(r.deliveries + 1);
                r.deliveries++;
                taken.add(r);
            }
            lastPull = clock.instant();
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            items.add(item(taken.get(i), attempts.get(i)));
        }
        return items;
    }

    /**
     * What a cloud delivery would have POSTed, decoded as PHP's {@code $_POST} holds it (all strings, false as "0",
     * null and empty values gone), plus the queue's id, the attempt and when it was queued.
     */
    private Map<String, Object> item(Row r, int attempt) {
        Map<String, Object> posted = new LinkedHashMap<>();
        posted.put("event", r.event.event());
        if (r.event.bindingId() != null) {
            posted.put("event_handler_id", r.event.bindingId());
        }
        posted.put("data", r.event.data());
        posted.put("ts", r.ts);
        posted.put("auth", authOf.apply(r));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", r.id);
        item.put("attempt", attempt);
        item.put("queued_at", MILLIS.format(r.queuedAt));
        item.putAll(FormParams.parse(FormParams.encode(posted)));
        return item;
    }

    /**
     * Acknowledges every delivered event up to {@code id}: they leave the queue. An id already acknowledged or never
     * delivered changes nothing and says so.
     */
    synchronized Ack ack(long id) {
        Row target = rows.stream().filter(r -> r.id == id).findFirst().orElse(null);
        if (target == null || target.deliveries == 0) {
            if (target == null && id <= ackedThrough) {
                return new Ack(0, ackedThrough, "ALREADY_ACKNOWLEDGED", "Events up to " + ackedThrough
                        + " are already acknowledged; nothing changed");
            }
            return new Ack(0, ackedThrough, "NOT_DELIVERED", "Event " + id + " was never delivered by "
                    + "b24bridge.events.pull; acknowledge only ids a pull returned. Nothing changed");
        }
        int count = 0;
        for (Iterator<Row> it = rows.iterator(); it.hasNext(); ) {
            Row r = it.next();
            if (r.id <= id && r.deliveries > 0) {
                it.remove();
                count++;
                r.acknowledged.complete(r.log.end("DELIVERED"));
            }
        }
        ackedThrough = Math.max(ackedThrough, id);
        return new Ack(count, ackedThrough, null, null);
    }

    synchronized Status status() {
        Map<String, Object> oldest = null;
        if (!rows.isEmpty()) {
            Row r = rows.getFirst();
            oldest = new LinkedHashMap<>();
            oldest.put("id", r.id);
            oldest.put("event", r.event.event());
            oldest.put("queued_at", SECONDS.format(r.queuedAt));
            oldest.put("age_seconds", Math.max(0, Duration.between(r.queuedAt, clock.instant()).toSeconds()));
            oldest.put("deliveries", r.deliveries);
        }
        return new Status(rows.size(), oldest, ackedThrough, lastPull);
    }

    @Override
    public List<Delivery> deliveries() {
        return log.all();
    }

    /** The emulator's reset: the queue is emptied, its ids go on growing. */
    @Override
    public synchronized void clear() {
        rows.clear();
        ackedThrough = lastId;
        lastPull = null;
        log.clear();
    }

    @Override
    public synchronized void close() {
        notifyAll();
    }
}
