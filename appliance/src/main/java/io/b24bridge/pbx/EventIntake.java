package io.b24bridge.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.event.ManagerEvent;

/**
 * The hand-over between asterisk-java and the sink: a bounded queue and one thread that drains it into the
 * {@link PbxEventSink}, so the sink never runs on asterisk-java's threads and sees one PBX's events on one
 * thread in arrival order.
 *
 * <p>The thread takes everything queued at once and hands a link's events over as one run
 * ({@link PbxEventSink#onEvents}): when the sink keeps up, runs are single events; when it falls behind, the next
 * run carries what piled up meanwhile.
 *
 * <p>While a snapshot is awaited, only the events the sink reads ({@link PbxEventSink#wants}) are held.
 *
 * <p>Items carry the number of the link (session) they belong to. A link's events are held back until its
 * snapshot arrives, then the sink gets {@code onConnected(snapshot)} followed by the held events; after the
 * link's end marker ({@code onDisconnected}) anything still tagged with it is dropped. When the queue is full
 * the producer waits (back-pressure) instead of dropping.
 */
final class EventIntake implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventIntake.class.getName());
    /**
     * The most events handed to the sink in one run. Runs form by themselves: a sink that kept up gets one event
     * at a time; one that fell behind gets what queued up meanwhile, and pays its per-run cost (a transaction)
     * once for all of them.
     */
    static final int MAX_RUN = 2_000;

    /** What goes through the queue. */
    sealed interface Item {
        long session();
    }

    record Event(long session, ManagerEvent event) implements Item {
    }

    record Snapshot(long session, ChannelsSnapshot channels) implements Item {
    }

    record Ended(long session, String reason) implements Item {
    }

    private final String pbxId;
    private final PbxEventSink sink;
    private final BlockingQueue<Item> queue;
    private final int capacity;
    private final Thread thread;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitedNanos = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong unread = new AtomicLong();
    private volatile long blockedSince; // System.nanoTime() while a producer waits for room, else 0
    private volatile boolean closing;

    // intake-thread state
    private long current = -1;
    private boolean connected;   // onConnected was delivered for `current`
    private boolean ended;       // `current` has ended
    private final List<ManagerEvent> held = new ArrayList<>();
    private final List<ManagerEvent> run = new ArrayList<>(); // events of the current link taken in this turn

    EventIntake(String pbxId, PbxEventSink sink, int capacity) {
        this.pbxId = pbxId;
        this.sink = sink;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "pbx-" + pbxId + "-intake");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an event; waits while the queue is full (back-pressure on asterisk-java's dispatch thread).
     * Gives up, dropping the event, only when {@code stillWanted} turns false (its link was ended meanwhile:
     * the next snapshot supersedes it) or the intake is closing.
     */
    void offerEvent(long session, ManagerEvent event, BooleanSupplier stillWanted) {
        Item item = new Event(session, event);
        if (queue.offer(item)) {
            return;
        }
        waits.incrementAndGet();
        long t0 = System.nanoTime();
        blockedSince = t0;
        try {
            while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (!stillWanted.getAsBoolean() || closing) {
                    stale.incrementAndGet();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blockedSince = 0;
            waitedNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    /** Queues a link's snapshot or end; waits for room (the supervisor thread may wait). */
    void put(Item item) throws InterruptedException {
        queue.put(item);
    }

    /** Whether a producer is waiting for room right now: the sink is behind, not the link. */
    boolean backedUp() {
        return blockedSince != 0 || queue.remainingCapacity() == 0;
    }

    int depth() {
        return queue.size();
    }

    int capacity() {
        return capacity;
    }

    long delivered() {
        return delivered.get();
    }

    /** How many runs the events were delivered in (delivered / runs: the average run). */
    long runs() {
        return runs.get();
    }

    /** How many times the producer had to wait for room, and for how long in all. */
    long backPressureWaits() {
        return waits.get();
    }

    Duration backPressureTime() {
        return Duration.ofNanos(waitedNanos.get());
    }

    long sinkFailures() {
        return sinkFailures.get();
    }

    /** Events the sink does not read, passed over while a snapshot was awaited. */
    long unread() {
        return unread.get();
    }

    /** Events dropped because their link had already ended (they are superseded by the next snapshot). */
    long staleDropped() {
        return stale.get();
    }

    private void run() {
        List<Item> taken = new ArrayList<>(MAX_RUN);
        while (true) {
            Item first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return; // drained
                }
                continue;
            }
            taken.add(first);
            queue.drainTo(taken, MAX_RUN - 1); // what queued up while the sink was busy: one run
            for (Item item : taken) {
                handle(item);
            }
            flush();
            taken.clear();
        }
    }

    /** Delivers the events collected for the current link, as one run. */
    private void flush() {
        if (run.isEmpty()) {
            return;
        }
        List<ManagerEvent> events = List.copyOf(run);
        run.clear();
        call(() -> sink.onEvents(pbxId, events), "onEvents");
        delivered.addAndGet(events.size());
        runs.incrementAndGet();
    }

    private void handle(Item item) {
        long s = item.session();
        if (s < current || (s == current && ended)) {
            if (item instanceof Event) {
                stale.incrementAndGet();
            }
            return;
        }
        if (s > current) { // a new link: nothing of it was delivered yet
            flush(); // the old link's last events first
            current = s;
            connected = false;
            ended = false;
            held.clear();
        }
        switch (item) {
            case Event e -> {
                if (connected) {
                    deliver(e.event());
                } else if (sink.wants(e.event())) {
                    held.add(e.event()); // until the snapshot: bounded by the snapshot timeout
                } else {
                    // not held: a PBX sends about six times more events than the call model reads (every dialplan
                    // variable's VarSet, Newexten, DeviceStateChange…) — at 100 new calls a second, the events of
                    // the 15 s a 10,000-channel snapshot may take held more than the appliance's whole heap
                    // (OutOfMemoryError, ./bench --full --only=growth, 2026-12-03)
                    unread.incrementAndGet();
                }
            }
            case Snapshot snap -> {
                connected = true;
                call(() -> sink.onConnected(pbxId, snap.channels()), "onConnected");
                run.addAll(held);
                held.clear();
            }
            case Ended end -> {
                flush();
                ended = true;
                held.clear();
                if (connected) {
                    call(() -> sink.onDisconnected(pbxId, end.reason()), "onDisconnected");
                }
            }
        }
    }

    private void deliver(ManagerEvent e) {
        run.add(e);
    }

    private void call(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            long n = sinkFailures.incrementAndGet();
            if (n == 1 || n % 1000 == 0) { // the first, then every thousandth: a broken sink must not flood
                LOG.log(Level.WARNING, "pbx " + pbxId + ": the event consumer failed in " + what + " (" + n
                        + " failures so far); the stream goes on", e);
            }
        }
    }

    /**
     * Delivers what is queued (the last item is normally the final link's end) for up to {@code drain}, then
     * stops the thread.
     */
    void close(Duration drain) {
        closing = true;
        try {
            thread.join(Math.max(1, drain.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt(); // a sink still busy after the drain time is cut short
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
