package io.b24bridge.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.health.HealthPart;
import io.b24bridge.logging.FailureStreak;
import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * Sends the outbox to the box: in order within a call (one worker per call at a time), in parallel across
 * calls, retrying with backoff what the box could not take now — for as long as it takes, since every call
 * must reach the CRM — and setting aside as dead letters what it will never take. A call whose command is
 * dead waits until an operator retries it, so nothing is sent out of order.
 */
public final class Dispatcher implements OutboxSender {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    static final Duration POLL = Duration.ofMillis(500);
    /** Calls waiting (ready now or within {@link #BACKLOG_HORIZON}) from which the outbox goes out in batches. */
    static final int BATCH_FROM = 20;
    /**
     * How far ahead the scheduler counts waiting calls: commands sitting out a pause after the box refused them are
     * part of the backlog, and while there is one even the few ready now go in a batch — one request of the box's
     * rate limit, not one each (what drained a catch-up at a fraction of what the limit allows).
     */
    static final Duration BACKLOG_HORIZON = Duration.ofSeconds(30);
    /** Calls one scan reads at most. */
    static final int SCAN = 1000;

    private enum Work { RUNNING, AGAIN }



    private final Outbox outbox;
    private final CommandSender sender;
    private final Clock clock;
    private final Duration stopGrace;
    private final Semaphore permits;
    /** Batch rounds going at once. */
    static final int BATCH_ROUNDS = 4;
    private final Semaphore rounds = new Semaphore(BATCH_ROUNDS);
    private final ConcurrentHashMap<CallKey, Work> inFlight = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final Settlement settle;
    private final BatchRound batches;
    /**
     * Calls whose first command a round found not due (a pause, or a dead letter holding the call back) while a later
     * one is — the scan, which reads when each call's earliest command is due, counts them ready — and until when:
     * left out of batches until then, so they neither take a batch's places nor keep the scheduler sending empty
     * rounds while the box is away. Emptied by {@link #wake} (pauses ended, a dead letter revived).
     */
    private final ConcurrentHashMap<CallKey, Instant> heldBack = new ConcurrentHashMap<>();
    /** Whether the box takes connections; while it does not, one command a second probes it. */
    private final BoxPresence presence = new BoxPresence(this::backlogDue);
    private volatile boolean running = true;
    /**
     * The outbox's failures that repeat for as long as their cause lasts (the database refusing writes on a full
     * disk fails every scan and round): logged once when they begin and once when they end.
     */
    private final FailureStreak scanFailures = new FailureStreak(LOG, "outbox scan");
    private final FailureStreak roundFailures = new FailureStreak(LOG, "outbox batch round");
    private final FailureStreak callFailures = new FailureStreak(LOG, "outbox: sending a call's command");
    /** The last scan found a backlog: new commands wait for the scheduler's batches instead of a worker each. */
    private volatile boolean backlog;
    /**
     * A call found every worker busy since a worker last ended: the next worker to end wakes the scheduler for it.
     * Otherwise a worker's end does not (a scan per command sent was most of the outbox's queries under load); a
     * call missed by this flag's race waits at most {@link #POLL}.
     */
    private volatile boolean turnedAway;
    private final Thread scheduler;

    /**
     * @param recordingsDirs per PBX id, where this appliance reads that PBX's recordings
     * @param parallelism    calls sent at the same time
     * @param stopGrace      how long {@link #close} waits for commands being sent
     */
    public Dispatcher(Outbox outbox, BoxGateway box, Map<String, RecordingsDir> recordingsDirs, int parallelism,
                      Clock clock, Duration stopGrace) {
        this(outbox, box, recordingsDirs, TaskCommands.NONE, parallelism, clock, stopGrace);
    }

    /** @param tasks where the missed-call task commands go */
    public Dispatcher(Outbox outbox, BoxGateway box, Map<String, RecordingsDir> recordingsDirs, TaskCommands tasks,
                      int parallelism, Clock clock, Duration stopGrace) {
        this.outbox = outbox;
        this.sender = new CommandSender(box, recordingsDirs, outbox.risks(), clock, tasks);
        this.clock = clock;
        this.stopGrace = stopGrace;
        this.settle = new Settlement(outbox, clock, presence);
        this.batches = new BatchRound(outbox, sender, settle, clock);
        this.permits = new Semaphore(parallelism);
        this.scheduler = Thread.ofPlatform().name("outbox-scheduler").daemon().unstarted(this::schedule);
    }

    /** Starts sending: what is stored goes now, new commands as they are recorded. */
    public Dispatcher start() {
        outbox.journal().afterRecord(this::wake);
        scheduler.start();
        return this;
    }

    /** New commands for these calls were committed: send them now. */
    public void wake(List<CallKey> calls) {
        if (backlog) {
            nudge(); // behind: they go in the scheduler's next batch
            return;
        }
        for (CallKey call : calls) {
            dispatch(call);
        }
        if (calls.size() >= BATCH_FROM) {
            nudge(); // more than the workers take: the scheduler batches the rest now, not at its next poll
        }
    }

    @Override
    public void boxRecovered() {
        if (presence.away()) {
            presence.answered(); // makes the backlog due
        } else {
            backlogDue();
        }
    }

    /** Every command waiting out a pause is due now: the box answers again. */
    private void backlogDue() {
        int due = outbox.queue().dueNow();
        if (due > 0) {
            LOG.info("outbox: the box is back; " + due + " waiting commands go now");
        }
        wake();
    }

    @Override
    public void wake() {
        heldBack.clear(); // an operator revived a dead letter, or pauses were ended: every call is looked at again
        nudge();
    }

    /** The scheduler looks now rather than at its next poll. */
    private void nudge() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void schedule() {
        while (running) {
            boolean behind = false;
            try {
                Instant now = clock.instant();
                // one query: what is due now (first in the list) and what waits out a pause within the horizon
                List<OutboxQueue.Waiting> waiting = outbox.queue().waitingCalls(now.plus(BACKLOG_HORIZON), SCAN);
                heldBack.values().removeIf(until -> !until.isAfter(now));
                List<CallKey> ready = waiting.stream().filter(w -> !w.dueAt().isAfter(now)).map(OutboxQueue.Waiting::call)
                        .filter(c -> !inFlight.containsKey(c) && !heldBack.containsKey(c)).toList();
                // counted whether or not anything is due this moment: a backlog sitting out its pauses is one
                backlog = ready.size() >= BATCH_FROM || waiting.size() >= BATCH_FROM;
                if (!waiting.isEmpty() && waiting.getFirst().dueAt().isAfter(now) && presence.probeDue(now)) {
                    probe(waiting); // nothing due, every command waiting out a pause the box's return would end
                }
                if (backlog) {
                    // one line of calls for this scan's rounds: each takes from it until its batch holds 50 commands
                    // that may go, passing over the calls that may not
                    // full batches only: more may be ready, no pause while catching up; a short one: the rest of the
                    // backlog sits out its pauses or is under way, and the next scan (a round's end, a new
                    // command, the poll) gathers what became due meanwhile
                    behind = startRounds(new ArrayDeque<>(ready));
                } else {
                    ready.forEach(this::dispatch);
                }
                scanFailures.succeeded();
            } catch (RuntimeException e) {
                scanFailures.failed(e);
            } catch (InterruptedException e) {
                if (!running) {
                    return; // stopping
                } // otherwise not ours (Derby interrupts the threads inside a database it shuts down): go on
            }
            if (behind && !roundFailures.failing()) { // rounds that fail at once must not become a busy loop
                continue;
            }
            synchronized (signal) {
                try {
                    signal.wait(Math.max(1, presence.untilProbe(clock.instant(), POLL).toMillis()));
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Starts a worker for the call when one is free. When all are busy the call is left to the scheduler,
     * which sends what waits in batches once enough has piled up, so a burst does not queue hundreds of
     * workers each waiting for its turn with one command.
     */
    private boolean dispatch(CallKey call) {
        if (!running) {
            return false;
        }
        // in one step: claimed when free, or marked for its worker to look once more before it leaves — never an
        // AGAIN put after that worker left (nobody would remove it: the call would wait until a restart)
        boolean[] claimed = {false};
        inFlight.compute(call, (k, w) -> {
            claimed[0] = w == null;
            return w == null ? Work.RUNNING : Work.AGAIN;
        });
        if (!claimed[0]) {
            return false;
        }
        if (!permits.tryAcquire()) {
            turnedAway = true;
            inFlight.remove(call); // ours, AGAIN or not: left as AGAIN, nobody would ever remove it
            return false; // all workers busy: the scheduler takes it (in a batch when the outbox is behind)
        }
        Thread.ofVirtual().name("outbox-" + call).start(() -> {
            boolean left = false;
            try {
                do {
                    inFlight.put(call, Work.RUNNING);
                    drain(call);
                } while (!(left = inFlight.remove(call, Work.RUNNING)) && running);
            } finally {
                if (!left) { // a failure or the stop cut in: the call is still this worker's (once it left, another's)
                    inFlight.remove(call);
                }
                permits.release();
                if (turnedAway || backlog) {
                    turnedAway = false;
                    nudge(); // a worker is free and a call waits for one, or batches go: the scheduler looks now
                }
            }
        });
        return true;
    }

    /** A batch round's calls (claimed), the commands it sends together, and those that go the single way. */
    private record Round(List<CallKey> claimed, List<OutboxQueue.Entry> heads, List<OutboxQueue.Entry> alone) {
    }

    /**
     * Starts batch rounds for the calls in the line, each on a thread of its own once fewer than
     * {@link #BATCH_ROUNDS} are running (a slow box answers several batches at a time, not one after the other). Each
     * round is gathered when it can start, from the calls the line holds then, up to 50 commands that may go: what
     * is not due passes its place on. A round that would go short while others are under way waits instead: their
     * calls' next commands fill it at the next scan, and a request of the box's rate limit carries 50, not a few.
     *
     * @return whether every round gathered was full (more may be ready now)
     */
    private boolean startRounds(Queue<CallKey> line) throws InterruptedException {
        boolean full = false; // nothing in line: nothing more is ready
        while (!line.isEmpty() && running) {
            rounds.acquire();
            Round round;
            try {
                round = gather(line);
            } catch (RuntimeException e) {
                rounds.release();
                throw e;
            }
            full = round.heads().size() >= BoxGateway.MAX_BATCH;
            boolean othersUnderWay = rounds.availablePermits() < BATCH_ROUNDS - 1;
            if (!full && othersUnderWay) {
                round.claimed().forEach(inFlight::remove);
                rounds.release();
                round.alone().forEach(e -> dispatch(e.call()));
                return false;
            }
            Thread.ofVirtual().name("outbox-batch").start(() -> {
                try {
                    send(round);
                    if (!round.heads().isEmpty()) {
                        roundFailures.succeeded(); // a round that wrote: one that found nothing due proves nothing
                    }
                } catch (RuntimeException e) {
                    roundFailures.failed(e);
                } finally {
                    rounds.release();
                    nudge();
                }
            });
        }
        return full;
    }

    /**
     * Takes calls from the line (claiming each) until 50 of their first commands may go in a batch or the line is
     * empty. A call whose first command waits out a pause, or is a dead letter, is held back until then.
     */
    private Round gather(Queue<CallKey> line) {
        List<CallKey> claimed = new ArrayList<>();
        List<OutboxQueue.Entry> heads = new ArrayList<>();
        List<OutboxQueue.Entry> alone = new ArrayList<>();
        Instant now = clock.instant();
        try {
            while (heads.size() < BoxGateway.MAX_BATCH && !line.isEmpty()) {
                List<CallKey> take = new ArrayList<>();
                CallKey call;
                while (take.size() < BoxGateway.MAX_BATCH - heads.size() && (call = line.poll()) != null) {
                    if (inFlight.putIfAbsent(call, Work.RUNNING) == null) {
                        take.add(call);
                    }
                }
                claimed.addAll(take);
                for (OutboxQueue.Entry e : outbox.queue().heads(take)) {
                    if (e.state() == OutboxState.DEAD) {
                        heldBack.put(e.call(), Instant.MAX);
                    } else if (e.nextAt().isAfter(now)) {
                        heldBack.put(e.call(), e.nextAt());
                    } else if (CommandSender.batchable(e)) {
                        heads.add(e);
                    } else {
                        alone.add(e);
                    }
                }
            }
        } catch (RuntimeException e) {
            claimed.forEach(inFlight::remove);
            throw e;
        }
        return new Round(claimed, heads, alone);
    }

    /** Sends a round's batch and releases its calls. */
    private void send(Round round) {
        List<OutboxQueue.Entry> alone = new ArrayList<>(round.alone());
        try {
            if (!round.heads().isEmpty()) {
                alone.addAll(batches.send(round.heads()));
            }
        } finally {
            round.claimed().forEach(inFlight::remove);
        }
        // comments, a register to resolve and recordings past the batch's bytes go the single way; a call with
        // nothing due (another round sent its head meanwhile) waits for the next scan, in a batch
        alone.forEach(e -> dispatch(e.call()));
    }

    /** The call's next command if it may go now: not a dead letter holding the call back, not waiting a pause. */
    private Optional<OutboxQueue.Entry> due(CallKey call) {
        return outbox.queue().head(call)
                .filter(e -> e.state() != OutboxState.DEAD && !e.nextAt().isAfter(clock.instant()));
    }

    /** Calls a probe looks at for a head to send: a dead letter or a call being sent is passed over. */
    static final int PROBE_CANDIDATES = 5;

    /**
     * While the box refuses connections: the head of the call due first is sent now, whatever its pause; when the box
     * answers it, the whole backlog is due at once ({@link #boxRecovered}) instead of each command finding the box
     * back at the end of its own pause.
     */
    private void probe(List<OutboxQueue.Waiting> waiting) {
        for (OutboxQueue.Waiting w : waiting.subList(0, Math.min(PROBE_CANDIDATES, waiting.size()))) {
            CallKey call = w.call();
            if (inFlight.putIfAbsent(call, Work.RUNNING) != null) {
                continue;
            }
            Optional<OutboxQueue.Entry> head;
            try {
                head = outbox.queue().head(call).filter(e -> e.state() != OutboxState.DEAD);
            } catch (RuntimeException e) {
                inFlight.remove(call);
                throw e;
            }
            if (head.isEmpty()) {
                inFlight.remove(call);
                continue;
            }
            Thread.ofVirtual().name("outbox-probe").start(() -> {
                try {
                    send(call, head.get()); // answered: the box is back, and the backlog due (BoxPresence)
                } finally {
                    inFlight.remove(call);
                }
            });
            return;
        }
    }

    /** Sends the call's commands in order until one must wait. */
    private void drain(CallKey call) {
        while (running) {
            Optional<OutboxQueue.Entry> head = due(call);
            if (head.isEmpty() || !send(call, head.get()) || backlog) {
                return; // behind: the call's next commands go in the scheduler's batches, not one request each
            }
        }
    }

    /** Sends one command of the call; true when it went (or needed nothing sent). */
    private boolean send(CallKey call, OutboxQueue.Entry e) {
        if (CommandSender.marksBeforeSending(e.command()) && !e.maybeSent()) {
            outbox.queue().sending(e); // a repeat must be recognised if a crash cuts in after the box took it
        }
        try {
            String callId = e.command() instanceof CrmCommand.Register ? null
                    : outbox.journal().bitrixCallId(call).orElse(null);
            CrmEntity entity = e.command() instanceof CrmCommand.RatingComment
                    || e.command() instanceof CrmCommand.MissedCallTask
                    ? outbox.journal().crmEntity(call).orElse(null) : null;
            settle.done(e, sender.send(e, callId, entity, Duration.between(e.createdAt(), clock.instant())));
            callFailures.succeeded();
            return true;
        } catch (Failure f) {
            settle.failed(e, f);
            return false;
        } catch (RuntimeException ex) {
            callFailures.failed(new IllegalStateException("call " + call + ": " + ex.getMessage(), ex));
            settle.unexpected(e, ex);
            return false;
        }
    }

    /** For /health and metrics. */
    public record Stats(long sent, long failures, long deadLetters, long batches, int callsInFlight) {
    }

    public Stats stats() {
        return new Stats(settle.sent(), settle.failures(), settle.dead(), settle.batches(), inFlight.size());
    }

    @Override
    public Object status() {
        return stats();
    }

    @Override
    public HealthPart health() {
        return new OutboxHealth(outbox.report(), this, outbox.risks());
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
            LOG.warning("outbox: " + inFlight.size() + " calls were still sending at stop; they resume on the next "
                    + "start");
        }
    }

    @Override
    public void close() {
        stop(stopGrace);
    }
}
