package io.b24bridge.pbx;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.EventTimeoutException;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

import io.b24bridge.retry.Backoff;

/**
 * The AMI link to one PBX, kept up for as long as the appliance runs: log in, take the picture of the calls in
 * progress ({@code CoreShowChannels}), stream every event to the {@link PbxEventSink} on its own intake thread,
 * check the link with a Ping every interval, and when anything goes wrong start over after a backoff wait.
 *
 * <p>Threads: {@code pbx-<id>-link} runs the link (login, snapshot, pings, waits); {@code pbx-<id>-intake}
 * calls the sink; asterisk-java's reader and dispatch threads only parse and queue. {@link #start()} returns at
 * once: a PBX that is down does not hold up the appliance's start.
 */
public final class AmiConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AmiConnection.class.getName());

    /** Where the link stands. */
    public enum State {
        /** not started yet */
        NEW,
        /** connecting and logging in, or taking the snapshot */
        CONNECTING,
        /** logged in, events flowing */
        CONNECTED,
        /** the last attempt failed or the link dropped; the next attempt comes after a backoff wait */
        WAITING,
        /** the PBX refused the login (or an action the link needs): retried slowly, someone must fix it */
        REFUSED,
        /** stopped */
        STOPPED
    }

    /**
     * The link's state for {@code /health} and the panel.
     *
     * @param pbxId             the PBX
     * @param address           {@code user@host:port}
     * @param state             where the link stands
     * @param since             when it entered that state
     * @param lastEventAt       when the last event arrived (null: none yet)
     * @param eventsReceived    events received since start
     * @param eventsPerSecond   over the last ten seconds
     * @param connects          successful logins (with snapshot) since start
     * @param reconnects        of those, the ones after the link had been up before
     * @param attempts          login attempts since start
     * @param loginFailures     refused logins since start
     * @param lastError         the last problem, one sentence (null: none)
     * @param lastErrorAt       when it happened
     * @param queueDepth        events waiting for the sink now
     * @param queueCapacity     the most that may wait before the reader is slowed down
     * @param backPressureWaits how often the reader had to wait for the sink
     * @param backPressureTime  how long it waited in all
     * @param resyncs           links re-established because asterisk-java's own buffer overflowed
     * @param sinkFailures      exceptions thrown by the sink
     * @param readProblem       the PBX withholds event classes the call model needs (manager.conf read=), or null
     * @param eventsPerRun      events the sink took in one go, on average (1: it keeps up; more: it batches)
     */
    public record Status(String pbxId, String address, State state, Instant since, Instant lastEventAt,
                         long eventsReceived, double eventsPerSecond, long connects, long reconnects, long attempts,
                         long loginFailures, String lastError, Instant lastErrorAt, int queueDepth,
                         int queueCapacity, long backPressureWaits, Duration backPressureTime, long resyncs,
                         long sinkFailures, String readProblem, double eventsPerRun) {

        public boolean connected() {
            return state == State.CONNECTED;
        }
    }

    private final AmiSettings settings;
    private final EventIntake intake;
    private final PumpOverflowWatch overflowWatch;
    private final Thread linkThread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Backoff.Attempts backoff;
    private final Backoff loginWait;

    private final LinkStats stats = new LinkStats();
    private final CallEventsWatch readRights = new CallEventsWatch();
    private volatile State state = State.NEW;
    private volatile Instant since = Instant.now();
    private volatile AmiSession session;
    private long sessions;

    public AmiConnection(AmiSettings settings, PbxEventSink sink) {
        this.settings = settings;
        this.intake = new EventIntake(settings.pbxId(), sink, settings.queueCapacity());
        // spread ±20 % so that several appliances (or links) do not knock on a restarted Asterisk in step
        this.backoff = Backoff.doubling(settings.reconnectMin(), settings.reconnectMax()).jitter(0.8, 1.2).attempts();
        this.loginWait = Backoff.doubling(settings.loginRetry(), settings.loginRetry()).jitter(0.9, 1);
        this.overflowWatch = new PumpOverflowWatch(() -> {
            AmiSession s = session;
            return s == null ? null : s.pumpThread();
        }, pump -> {
            AmiSession s = session;
            if (s != null && !s.isEnded()) { // one resync per link, however many drops it logs
                stats.resync();
                s.end("events were lost: the consumer fell behind the PBX by more than asterisk-java can hold; "
                        + "re-synchronising from a fresh snapshot");
            }
        });
        this.linkThread = new Thread(this::run, "pbx-" + settings.pbxId() + "-link");
        linkThread.setDaemon(true);
    }

    public String id() {
        return settings.pbxId();
    }

    public AmiSettings settings() {
        return settings;
    }

    /** Starts the link in the background; returns at once. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("already started");
        }
        state(State.CONNECTING);
        overflowWatch.install();
        intake.start();
        linkThread.start();
    }

    /**
     * Sends an Originate (asynchronous on the PBX) and completes when the PBX tells how it went: the first leg
     * answered, or busy, no answer, failed. Fails with {@link PbxUnavailableException} when the link is down.
     */
    public CompletableFuture<OriginateResult> originate(OriginateRequest request) {
        AmiSession s = session;
        if (s == null || state != State.CONNECTED) {
            return CompletableFuture.failedFuture(new PbxUnavailableException("PBX " + id() + " is not connected"));
        }
        CompletableFuture<OriginateResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("pbx-" + id() + "-originate").start(() -> {
            try {
                long wait = request.ringTimeout().plus(settings.responseTimeout()).toMillis();
                ResponseEvents answer = s.connection().sendEventGeneratingAction(Originates.action(request), wait);
                result.complete(Originates.result(answer));
            } catch (EventTimeoutException e) {
                result.completeExceptionally(new PbxUnavailableException("PBX " + id()
                        + " did not report the originate's outcome in time", e));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new PbxUnavailableException("originate on PBX " + id() + " failed: "
                        + describe(e), e));
            }
        });
        return result;
    }

    public Status status() {
        return stats.status(settings, state, since, intake, readRights.problem());
    }

    // ---- the link thread ----

    private void run() {
        try {
            while (!stopping()) {
                if (!attempt()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session = null;
            state(State.STOPPED);
        }
    }

    /** One link from login to its end, and the wait after it; false when stopping. */
    private boolean attempt() throws InterruptedException {
        AmiSession s = new AmiSession(++sessions, settings, intake, e -> {
            stats.counted(e);
            readRights.seen(e);
        });
        session = s;
        if (stopping()) { // close() may have looked at the previous session
            return false;
        }
        state(State.CONNECTING);
        stats.attempt();
        try {
            s.connection().login(AmiSession.EVENT_MASK);
        } catch (AuthenticationFailedException e) {
            s.close(false);
            stats.loginRefused();
            problem("the PBX refused the AMI login of user '" + settings.username() + "' at " + settings.host() + ":"
                    + settings.port() + " (" + describe(e) + "): check the pbx entry '" + id() + "' (username, secret) "
                    + "against manager.conf and its permit/deny lines; retrying every "
                    + settings.loginRetry().toSeconds() + " s");
            state(State.REFUSED);
            return pause(loginRetry());
        } catch (IOException | TimeoutException | RuntimeException e) {
            s.close(false);
            problem("cannot reach the AMI of PBX " + id() + " at " + settings.host() + ":" + settings.port() + ": "
                    + describe(e));
            state(State.WAITING);
            return pause(backoff.next());
        }
        List<CoreShowChannelEvent> channels;
        try {
            channels = snapshot(s);
        } catch (SnapshotRefused e) {
            return failedAfterLogin(s, "the PBX refused CoreShowChannels (" + e.getMessage() + "): the AMI user '"
                    + settings.username() + "' needs write=reporting in manager.conf", true);
        } catch (EventTimeoutException e) {
            return failedAfterLogin(s, "the PBX did not list its channels within "
                    + settings.snapshotTimeout().toSeconds() + " s", false);
        } catch (IOException | RuntimeException e) {
            return failedAfterLogin(s, "the channel list could not be read: " + describe(e), false);
        }
        if (s.isEnded()) {
            return failedAfterLogin(s, s.ended().getNow("ended"), false);
        }
        long up = System.nanoTime();
        readRights.linkUp(channels);
        long n = stats.connected();
        state(State.CONNECTED); // before the sink hears of it: it may originate at once
        intake.put(new EventIntake.Snapshot(s.number, new ChannelsSnapshot(channels,
                AnswerTimes.of(s.connection(), channels, settings.responseTimeout()))));
        LOG.info(() -> "pbx " + id() + ": AMI link up (" + settings.username() + "@" + settings.host() + ":"
                + settings.port() + (n > 1 ? ", reconnect " + (n - 1) : "") + "), " + channels.size()
                + " channels in progress");

        String reason = supervise(s);
        s.close(stopping());
        if (!stopping()) { // the state first: whoever hears onDisconnected sees the link down
            problem("the AMI link to PBX " + id() + " was lost: " + reason);
            state(State.WAITING);
        }
        intake.put(new EventIntake.Ended(s.number, reason));
        if (stopping()) {
            return false;
        }
        if (System.nanoTime() - up >= settings.reconnectMax().toNanos()) {
            backoff.reset(); // it had been up a good while: start the ladder again from the bottom
        }
        return pause(backoff.next());
    }

    /** The wait after a refused login: long, so a lock-out policy on the PBX is not triggered. */
    private Duration loginRetry() {
        backoff.count();
        return loginWait.delay(0);
    }

    private boolean failedAfterLogin(AmiSession s, String why, boolean refused) throws InterruptedException {
        s.end(why);
        s.close(false);
        intake.put(new EventIntake.Ended(s.number, why)); // frees what the intake held for it
        problem("PBX " + id() + ": " + why);
        state(refused ? State.REFUSED : State.WAITING);
        return pause(refused ? loginRetry() : backoff.next());
    }

    private static final class SnapshotRefused extends Exception {
        SnapshotRefused(String message) {
            super(message);
        }
    }

    private List<CoreShowChannelEvent> snapshot(AmiSession s) throws IOException, EventTimeoutException,
            SnapshotRefused {
        ResponseEvents answer = s.connection().sendEventGeneratingAction(new CoreShowChannelsAction(),
                settings.snapshotTimeout().toMillis());
        ManagerResponse response = answer.getResponse();
        if (response instanceof ManagerError || (response != null && "Error".equalsIgnoreCase(response.getResponse()))) {
            throw new SnapshotRefused(response.getMessage());
        }
        List<CoreShowChannelEvent> channels = new ArrayList<>();
        for (ResponseEvent e : answer.getEvents()) {
            if (e instanceof CoreShowChannelEvent c) {
                channels.add(c);
            }
        }
        return channels;
    }

    /**
     * Pings every interval until the link ends. The link is declared dead when a Ping is unanswered for a whole
     * interval and nothing else arrived meanwhile, unless the intake is backed up: then the answer waits behind
     * events the sink has not taken yet, and the slowness is ours, not the link's.
     */
    private String supervise(AmiSession s) throws InterruptedException {
        long interval = settings.pingInterval().toMillis();
        AtomicLong pong = new AtomicLong();
        long pingSent = 0;
        while (true) {
            try {
                return s.ended().get(interval, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) { // the JDK's, beside asterisk-java's imported one
                // an interval went by: check, then ping
            } catch (ExecutionException e) {
                return "the link failed: " + describe(e.getCause());
            }
            if (pingSent != 0 && pong.get() < pingSent && s.lastInboundNanos() < pingSent && !intake.backedUp()) {
                s.end("no answer to a Ping within " + settings.pingInterval().toMillis() + " ms: the link or the "
                        + "PBX is stuck");
                continue;
            }
            if (!intake.backedUp()) {
                readRights.check(() -> snapshot(s), settings.username(), problem -> {
                    LOG.severe("pbx " + id() + ": " + problem);
                    stats.problem(problem);
                });
            }
            pingSent = System.nanoTime();
            try {
                s.connection().sendAction(new PingAction(), response -> pong.set(System.nanoTime()));
            } catch (IOException | RuntimeException e) {
                s.end("a Ping could not be sent: " + describe(e));
            }
        }
    }

    // ---- helpers ----

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** Waits before the next attempt; false when a stop came meanwhile. */
    private boolean pause(Duration wait) throws InterruptedException {
        return !stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void state(State s) {
        if (state != s) {
            state = s;
            since = Instant.now();
        }
    }

    private void problem(String message) {
        LinkStats.Problem previous = stats.problem(message);
        if (previous == null || !previous.message().equals(message) || state == State.CONNECTED) {
            LOG.warning(message); // repeated failures while waiting are logged once
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /**
     * Stops the link: logs off, delivers what the intake holds (ending with {@code onDisconnected}) within a
     * few seconds, and stops the threads.
     */
    @Override
    public void close() {
        stop.countDown();
        AmiSession s = session;
        if (s != null) {
            s.end("the appliance is stopping");
        }
        if (linkThread.isAlive()) {
            try {
                // a login in progress gives up within its own timeouts
                linkThread.join(settings.connectTimeout().plus(settings.responseTimeout()).toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            linkThread.interrupt();
        }
        intake.close(Duration.ofSeconds(5));
        overflowWatch.close();
        state(State.STOPPED);
    }
}
