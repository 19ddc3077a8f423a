package io.b24bridge.testkit.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fake Asterisk manager interface (AMI) over plain TCP, for tests, benchmarks and the sandbox. It speaks
 * the AMI text protocol as Asterisk 22 does — banner, {@code Challenge}/{@code Login} (MD5 or plain secret),
 * {@code Events}, {@code Ping}, {@code CoreSettings}, {@code CoreShowChannels} (from the channels its events
 * created), {@code Originate} (queued, then an {@code OriginateResponse}), {@code Logoff}; anything else is
 * {@code Response: Error} — and replays real Asterisk event streams from transcripts at any rate (see
 * {@link #replay}). For failure tests it can drop every connection, refuse logins, refuse connections, deny an
 * action (a missing manager.conf permission), go silent (a hung PBX that keeps its sockets open), answer actions
 * slowly, put garbage on the wire, or drop every client now and then ({@link #faults()}). Like Asterisk it never
 * waits for a client: each session writes its own backlog, and a client whose write stays stuck longer than the
 * write timeout is disconnected ({@link PbxFaults#writeTimeout}). It also writes the files a PBX writes beside its
 * events ({@link #recordings}, {@link #masterCsv}).
 */
public final class PbxSimulator implements AutoCloseable {

    /**
     * @param host            address to listen on
     * @param port            TCP port; 0 picks a free one
     * @param username        the AMI user it accepts
     * @param secret          its secret
     * @param amiVersion      the version in the banner and CoreSettings ({@code Asterisk Call Manager/…})
     * @param asteriskVersion the Asterisk version CoreSettings reports
     * @param epochBase       the seconds part of the first replayed call's Uniqueids (handed out upwards)
     */
    public record Options(String host, int port, String username, String secret, String amiVersion,
                          String asteriskVersion, long epochBase) {

        public static Options of(String username, String secret) {
            return new Options("127.0.0.1", 0, username, secret, "11.0.0", "22.10.1",
                    System.currentTimeMillis() / 1000);
        }

        public Options withPort(int port) {
            return new Options(host, port, username, secret, amiVersion, asteriskVersion, epochBase);
        }

        public Options withHost(String host) {
            return new Options(host, port, username, secret, amiVersion, asteriskVersion, epochBase);
        }

        @Override
        public String toString() {
            return "Options[" + username + "@" + host + ":" + port + "]";
        }
    }

    private final Options options;
    private final ServerSocket server;
    private final Thread acceptor;
    private final CopyOnWriteArrayList<SimSession> sessions = new CopyOnWriteArrayList<>();
    private final ChannelTable channels = new ChannelTable();
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong failedLogins = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();
    private final PbxFiles files = new PbxFiles();
    private final PbxFaults faults = new PbxFaults(this);
    private final AtomicLong nextEpoch;
    private final AtomicLong nextChannel = new AtomicLong(0x1000);
    private final Object loginSignal = new Object();
    private volatile boolean silent;
    private volatile Set<String> readClasses;
    private volatile boolean refuseLogins;
    private volatile boolean acceptConnections = true;
    private volatile int originateReason = 4;
    private volatile boolean closed;

    private PbxSimulator(Options options) throws IOException {
        this.options = options;
        this.nextEpoch = new AtomicLong(options.epochBase());
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()));
        this.acceptor = Thread.ofPlatform().daemon().name("pbx-sim-accept-" + server.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    /** Listens on 127.0.0.1, a free port, for {@code username}/{@code secret}. */
    public static PbxSimulator start(String username, String secret) {
        return start(Options.of(username, secret));
    }

    public static PbxSimulator start(Options options) {
        try {
            PbxSimulator sim = new PbxSimulator(options);
            sim.acceptor.start();
            sim.faults.start(sim.port());
            return sim;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
    }

    public Options options() {
        return options;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String host() {
        return options.host();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            if (!acceptConnections) {
                close(s); // a PBX that is restarting: the port answers, the AMI does not
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                SimSession session = new SimSession(this, s);
                sessions.add(session);
                Thread.ofVirtual().name("pbx-sim-session").start(session::run);
            } catch (IOException e) {
                close(s);
            }
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // gone anyway
        }
    }

    // ---- replay and events ----

    /** Replays {@code transcript} {@code times} times, starting {@code callsPerSecond} calls a second. */
    public Replay replay(Transcript transcript, int times, double callsPerSecond) {
        return replay(transcript, ReplayOptions.of(times, callsPerSecond));
    }

    public Replay replay(Transcript transcript, ReplayOptions options) {
        return replay(Mix.of(transcript), options);
    }

    /** Replays the calls of {@code mix} (call n the transcript the mix gives it), as {@code options} say. */
    public Replay replay(Mix mix, ReplayOptions options) {
        Replay r = new Replay(this, mix, options);
        r.start();
        return r;
    }

    CallTemplate.Call newCall(CallTemplate template, int n) {
        return template.new Call(nextEpoch::getAndIncrement, nextChannel::getAndIncrement, n);
    }

    /** Sends one event to every client that wants it (and keeps the channel table and the PBX's files up to date). */
    public void broadcast(AmiMessage event) {
        channels.apply(event);
        files.observe(event);
        if (silent) {
            return;
        }
        String wire = null;
        for (SimSession s : sessions) {
            if (s.wants(event)) {
                if (wire == null) {
                    wire = event.wire();
                }
                s.send(wire);
                eventsSent.incrementAndGet();
            }
        }
    }

    /**
     * A Cdr event made for a call whose recording has none ({@link DialCdrs}): its Master.csv row is written; it is
     * not sent, as the recording was captured without cdr_manager's events.
     */
    void recordOnly(AmiMessage cdr) {
        files.observe(cdr);
    }

    ChannelTable channels() {
        return channels;
    }

    /** Channels in progress (what CoreShowChannels would list now). */
    public int activeChannels() {
        return channels.size();
    }

    /** Forgets the channels in progress (a restarted Asterisk has none). */
    public void clearChannels() {
        channels.clear();
    }

    void originated(AmiMessage action) {
        int reason = originateReason;
        String channel = action.get("Channel") + "-" + String.format("%08x", nextChannel.getAndIncrement());
        String uniqueid = action.get("ChannelId") != null ? action.get("ChannelId")
                : nextEpoch.getAndIncrement() + ".0";
        AmiMessage response = AmiMessage.of("Event", "OriginateResponse", "Privilege", "call,all",
                "ActionID", action.get("ActionID") == null ? "" : action.get("ActionID"),
                "Response", reason == 4 ? "Success" : "Failure", "Channel", channel,
                "Context", nz(action.get("Context")), "Exten", nz(action.get("Exten")),
                "Reason", String.valueOf(reason), "Uniqueid", uniqueid,
                "CallerIDNum", "<unknown>", "CallerIDName", "<unknown>");
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(20); // the first leg "rings" a moment
            } catch (InterruptedException e) {
                return;
            }
            broadcast(response);
        });
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ---- the PBX's files ----

    /**
     * From now on, every recording the dialplan names ({@code MIXMONITOR_FILENAME} under {@code pbxDir}) is
     * written under {@code hostDir}, {@code bytes} long, when the name is announced.
     */
    public PbxSimulator recordings(java.nio.file.Path hostDir, String pbxDir, int bytes) {
        files.recordings(hostDir, pbxDir, bytes);
        return this;
    }

    /** From now on, every Cdr event (sent, or made for a call recorded without them) is also a row of this Master.csv. */
    public PbxSimulator masterCsv(java.nio.file.Path file) {
        files.masterCsv(file);
        return this;
    }

    public long recordingsWritten() {
        return files.recordingsWritten();
    }

    public long cdrRowsWritten() {
        return files.cdrRowsWritten();
    }

    // ---- failure controls ----

    /** Closes every client connection (the network broke, or Asterisk died). */
    public void dropConnections() {
        for (SimSession s : sessions) {
            s.close();
        }
    }

    /** Answers every Login with {@code Authentication failed} (and hangs up, as Asterisk does). */
    public void refuseLogins(boolean refuse) {
        this.refuseLogins = refuse;
    }

    /** When false, new connections are closed at once (Asterisk is down or restarting). */
    public void acceptConnections(boolean accept) {
        this.acceptConnections = accept;
    }

    /** A hung PBX: sockets stay open, nothing is answered or sent (no banner, no Pong, no events). */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /**
     * The user's manager.conf {@code read=} classes: events of other classes are not sent, whatever the login's
     * {@code Events:} asks (Asterisk filters by both). Null (the default): every class.
     */
    public void readClasses(Set<String> classes) {
        this.readClasses = classes == null ? null : Set.copyOf(classes);
    }

    Set<String> readClasses() {
        return readClasses;
    }

    /** Answers {@code action} with {@code Permission denied} (a manager.conf user without the right). */
    public void denyAction(String action) {
        denied.add(action.toLowerCase(Locale.ROOT));
    }

    /** Asterisk's reason code in the next OriginateResponses: 4 answered (default), 5 busy, 3 no answer, … */
    public void originateOutcome(int reason) {
        this.originateReason = reason;
    }

    boolean isSilent() {
        return silent;
    }

    /** Faults at load: a slow PBX, garbage on the wire, drops now and then, the write timeout. */
    public PbxFaults faults() {
        return faults;
    }

    java.util.List<SimSession> sessionList() {
        return sessions;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isRefusingLogins() {
        return refuseLogins;
    }

    boolean isDenied(String lowerCaseAction) {
        return denied.contains(lowerCaseAction);
    }

    // ---- counters ----

    void countAction(String name) {
        actions.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new LongAdder()).increment();
    }

    void countLogin() {
        logins.incrementAndGet();
    }

    void countFailedLogin() {
        failedLogins.incrementAndGet();
    }

    void loggedIn() {
        synchronized (loginSignal) {
            loginSignal.notifyAll();
        }
    }

    void ended(SimSession s) {
        sessions.remove(s);
    }

    /** Clients logged in now. */
    public int sessions() {
        return (int) sessions.stream().filter(SimSession::authenticated).count();
    }

    /** Waits until at least {@code n} clients are logged in. */
    public boolean awaitSessions(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (loginSignal) {
            while (sessions() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(loginSignal, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
        return true;
    }

    /** TCP connections accepted so far (also those refused at once). */
    public long connections() {
        return connections.get();
    }

    public long loginAttempts() {
        return logins.get();
    }

    public long failedLogins() {
        return failedLogins.get();
    }

    /** How often an action was received (name without case). */
    public long actions(String name) {
        LongAdder a = actions.get(name.toLowerCase(Locale.ROOT));
        return a == null ? 0 : a.sum();
    }

    /** Events written to clients (one per client per event). */
    public long eventsSent() {
        return eventsSent.get();
    }

    /** Events and answers waiting to be written, over all clients (what Asterisk's event list holds for them). */
    public long backlog() {
        return sessions.stream().mapToLong(SimSession::backlog).sum();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropConnections();
        faults.close();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
