package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A transcript being replayed by a {@link PbxSimulator} on its own thread: call n starts at {@code n / rate}
 * seconds, its events follow each other (or spread over the call's duration, interleaved with the other calls
 * in progress), each call with identities of its own (see {@link CallTemplate}).
 */
public final class Replay {

    private final PbxSimulator sim;
    private final CallTemplate template;
    private final ReplayOptions options;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    /** Call index → its Linkedid (the first few hundred thousand calls: enough for any test). */
    private final ConcurrentSkipListMap<Integer, String> linkedids = new ConcurrentSkipListMap<>();
    private volatile boolean cancelled;
    private volatile int started;

    Replay(PbxSimulator sim, Transcript transcript, ReplayOptions options) {
        this.sim = sim;
        this.options = options;
        this.template = new CallTemplate(transcript, options.numbers(), options.stampTime());
        this.thread = Thread.ofPlatform().daemon().name("pbx-sim-replay-" + transcript.name()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** One event due at {@code atNanos} (from the replay's start). */
    private record Due(long atNanos, int callIndex, CallTemplate.Call call, int event) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Integer.compare(callIndex, o.callIndex);
        }
    }

    private void run() {
        try {
            int perCall = options.eventsPerCall() > 0 ? Math.min(options.eventsPerCall(), template.size())
                    : template.size();
            long startGap = options.callsPerSecond() > 0 ? (long) (1e9 / options.callsPerSecond()) : 0;
            // at full speed calls go one after the other (spreading them would start them all at once)
            long eventGap = perCall > 1 && startGap > 0 ? options.callDuration().toNanos() / (perCall - 1) : 0;
            long t0 = System.nanoTime();
            PriorityQueue<Due> due = new PriorityQueue<>();
            int next = 0;
            while (!cancelled && (next < options.times() || !due.isEmpty())) {
                long nextStart = next < options.times() ? next * startGap : Long.MAX_VALUE;
                if (due.isEmpty() || nextStart < due.peek().atNanos()) {
                    due.add(new Due(nextStart, next, sim.newCall(template, next), 0));
                    next++;
                    started = next;
                    continue;
                }
                Due d = due.poll();
                waitUntil(t0 + d.atNanos());
                java.time.Instant now = java.time.Instant.now();
                AmiMessage event = d.call().event(d.event(), now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
                if (d.callIndex() < 300_000 && !linkedids.containsKey(d.callIndex())) {
                    String linked = event.get("Linkedid");
                    if (linked != null) {
                        linkedids.put(d.callIndex(), linked);
                    }
                }
                sim.broadcast(event);
                sent.incrementAndGet();
                if (d.event() + 1 < perCall) {
                    due.add(new Due(d.atNanos() + eventGap, d.callIndex(), d.call(), d.event() + 1));
                }
            }
        } finally {
            done.countDown();
        }
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

    /** Events each call sends. */
    public int eventsPerCall() {
        return options.eventsPerCall() > 0 ? Math.min(options.eventsPerCall(), template.size()) : template.size();
    }

    /** The Linkedid of each replayed call, in call order (those sent so far). */
    public List<String> linkedids() {
        return List.copyOf(linkedids.values());
    }
}
