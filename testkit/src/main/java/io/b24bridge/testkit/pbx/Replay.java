package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Recorded calls being replayed by a {@link PbxSimulator} on its own thread: call n starts at {@code n / rate}
 * seconds (later when {@link ReplayOptions#maxInProgress} calls are already in progress), replays the transcript
 * its {@link Mix} gives it, its events following each other back to back, spread over the call's duration or
 * as far apart as they were recorded — interleaved with the other calls in progress — each call with identities
 * of its own (see {@link CallTemplate}).
 */
public final class Replay {

    /**
     * A call this replay placed.
     *
     * @param index      its number in the replay (0, 1, …)
     * @param transcript the recording it replays
     * @param linkedid   its Linkedid (the CRM knows the call by it)
     * @param startedAt  when its first event was sent
     */
    public record Placed(int index, String transcript, String linkedid, Instant startedAt) {
    }

    /** A call that starts this much after its time because the PBX was full counts as held back. */
    private static final long HELD = TimeUnit.MILLISECONDS.toNanos(5);

    private final PbxSimulator sim;
    private final List<CallTemplate> templates = new ArrayList<>();
    private final int[] cycle;
    private final ReplayOptions options;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    /** Call index → what was placed (the first few hundred thousand calls: enough for any run). */
    private final ConcurrentSkipListMap<Integer, Placed> placed = new ConcurrentSkipListMap<>();
    private volatile boolean cancelled;
    private volatile int started;
    private volatile int inProgress;
    private volatile long heldBack;

    Replay(PbxSimulator sim, Mix mix, ReplayOptions options) {
        this.sim = sim;
        this.options = options;
        for (Mix.Entry e : mix.entries()) {
            templates.add(new CallTemplate(e.transcript(), options.numbers(), options.stampTime()));
        }
        this.cycle = mix.cycle();
        this.thread = Thread.ofPlatform().daemon().name("pbx-sim-replay-" + templates.getFirst().name())
                .unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** One event due at {@code atNanos} (from the replay's start). */
    private record Due(long atNanos, int callIndex, CallTemplate.Call call, int event, long firstAt)
            implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Integer.compare(callIndex, o.callIndex);
        }
    }

    private int eventsOf(CallTemplate t) {
        return options.eventsPerCall() > 0 ? Math.min(options.eventsPerCall(), t.size()) : t.size();
    }

    private void run() {
        try {
            long startGap = options.callsPerSecond() > 0 ? (long) (1e9 / options.callsPerSecond()) : 0;
            long t0 = System.nanoTime();
            // events are stamped from the monotonic clock the pacing uses, so an NTP step or slew of the wall
            // clock cannot make two events look closer (or out of order) than they were sent
            Instant wallAtT0 = Instant.now();
            long microsAtT0 = wallAtT0.getEpochSecond() * 1_000_000 + wallAtT0.getNano() / 1000;
            PriorityQueue<Due> due = new PriorityQueue<>();
            int next = 0;
            int calls = 0; // in progress
            long nextStart = 0;
            long events = 0;
            while (!cancelled && (next < options.times() || !due.isEmpty())) {
                boolean full = options.maxInProgress() > 0 && calls >= options.maxInProgress();
                if (next < options.times() && !full && (due.isEmpty() || nextStart < due.peek().atNanos())) {
                    long now = System.nanoTime() - t0;
                    if (options.maxInProgress() > 0 && now - nextStart > HELD) {
                        heldBack++; // it waited for a call to end
                    }
                    long at = Math.max(nextStart, now); // a call late for any reason starts now
                    CallTemplate t = templates.get(cycle[next % cycle.length]);
                    due.add(new Due(at, next, sim.newCall(t, next), 0, at));
                    next++;
                    calls++;
                    started = next;
                    inProgress = calls;
                    nextStart = next * startGap;
                    continue;
                }
                Due d = due.poll();
                waitUntil(t0 + d.atNanos());
                long sentNanos = System.nanoTime() - t0;
                long micros = microsAtT0 + sentNanos / 1000;
                Instant now = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
                // a first event sent late moves the call's recorded gaps with it, never shortens them
                long firstAt = d.event() == 0 ? sentNanos : d.firstAt();
                AmiMessage event = d.call().event(d.event(), micros);
                if (d.callIndex() < 500_000 && event.get("Linkedid") != null && !placed.containsKey(d.callIndex())) {
                    placed.put(d.callIndex(), new Placed(d.callIndex(), d.call().template().name(),
                            event.get("Linkedid"), now));
                }
                sim.broadcast(event);
                d.call().sent(event, now);
                sent.incrementAndGet();
                options.listener().sent(d.callIndex(), event, micros);
                if (options.garbageEvery() > 0 && ++events % options.garbageEvery() == 0) {
                    sim.faults().garbage(Garbage.sample(events / options.garbageEvery()));
                }
                CallTemplate t = d.call().template();
                if (d.event() + 1 < eventsOf(t)) {
                    due.add(new Due(nextAt(d, firstAt, t, startGap), d.callIndex(), d.call(), d.event() + 1, firstAt));
                } else {
                    if (eventsOf(t) == t.size()) {
                        // a recording without Cdr events: its rows, as cdr_csv writes one for every call
                        d.call().synthesizedCdrs().forEach(sim::recordOnly);
                    }
                    calls--;
                    inProgress = calls;
                }
            }
        } finally {
            done.countDown();
        }
    }

    /** When the call's next event is due: as recorded, spread evenly, or at once. */
    private long nextAt(Due d, long firstAt, CallTemplate t, long startGap) {
        long recorded = options.recordedPace() ? t.recordedOffset(d.event() + 1) : -1;
        if (recorded >= 0) {
            return firstAt + recorded;
        }
        int perCall = eventsOf(t);
        // at full speed calls go one after the other (spreading them would start them all at once)
        long gap = perCall > 1 && startGap > 0 ? options.callDuration().toNanos() / (perCall - 1) : 0;
        return d.atNanos() + gap;
    }

    private static void waitUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Waits until every event was sent; false on timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    public void cancel() {
        cancelled = true;
    }

    public long eventsSent() {
        return sent.get();
    }

    public int callsStarted() {
        return started;
    }

    /** Calls started and not yet finished replaying. */
    public int callsInProgress() {
        return inProgress;
    }

    /** Calls that started late because {@link ReplayOptions#maxInProgress} calls were in progress. */
    public long heldBack() {
        return heldBack;
    }

    /** Events each call sends (of the first transcript of the mix). */
    public int eventsPerCall() {
        return eventsOf(templates.getFirst());
    }

    /** The Linkedid of each replayed call, in call order (those started so far). */
    public List<String> linkedids() {
        return placed.values().stream().map(Placed::linkedid).toList();
    }

    /** The calls placed so far, in call order. */
    public List<Placed> placed() {
        return List.copyOf(placed.values());
    }
}
