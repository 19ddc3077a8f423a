package io.b24bridge.pbx;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.event.BridgeEvent;
import org.asteriskjava.manager.event.ConfbridgeEndEvent;
import org.asteriskjava.manager.event.ConfbridgeJoinEvent;
import org.asteriskjava.manager.event.ConfbridgeLeaveEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.CoreShowChannelsCompleteEvent;
import org.asteriskjava.manager.event.DialEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MeetMeEndEvent;
import org.asteriskjava.manager.event.MeetMeJoinEvent;
import org.asteriskjava.manager.event.MeetMeLeaveEvent;
import org.asteriskjava.manager.event.ProtocolIdentifierReceivedEvent;
import org.asteriskjava.manager.event.ShutdownEvent;

/**
 * One login to the PBX: one asterisk-java connection, used once. A new link gets a new session (and a new
 * asterisk-java connection), so nothing of an old link (late events, its library threads) can mix into the
 * next one. The library's own reconnect loop is not used: {@link AmiConnection} reconnects with its own
 * backoff, pings and snapshot.
 */
final class AmiSession implements ManagerEventListener {

    private static final Logger LOG = Logger.getLogger(AmiSession.class.getName());

    /**
     * Event classes asked for at login ({@code Events:}), whatever manager.conf's {@code read} allows: the
     * call facts (call, dialplan), CDRs, queue members (agent), UserEvents (user), and system for
     * FullyBooted/Shutdown/Reload. Not {@code reporting}: RTCP reports would flood the link for nothing.
     */
    static final String EVENT_MASK = "system,call,cdr,dialplan,user,agent";

    final long number;
    private final DefaultManagerConnection connection;
    private final EventIntake intake;
    private final Consumer<ManagerEvent> counter;
    private final CompletableFuture<String> ended = new CompletableFuture<>();

    private volatile long lastInboundNanos = System.nanoTime();
    private volatile String pumpThread;
    private volatile ShutdownEvent shutdown;
    private ManagerEvent previous; // dispatch thread only

    AmiSession(long number, AmiSettings s, EventIntake intake, Consumer<ManagerEvent> counter) {
        this.number = number;
        this.intake = intake;
        this.counter = counter;
        DefaultManagerConnection c = new DefaultManagerConnection(s.host(), s.port(), s.username(),
                s.secret().revealString());
        c.setSocketTimeout((int) s.connectTimeout().toMillis());
        // a backstop under the pings: a link with no input for three intervals is closed by the reader itself
        c.setSocketReadTimeout((int) s.pingInterval().multipliedBy(3).toMillis());
        c.setDefaultResponseTimeout(s.responseTimeout().toMillis());
        c.setDefaultEventTimeout(s.snapshotTimeout().toMillis());
        c.setKeepAliveAfterAuthenticationFailure(false);
        c.addEventListener(this);
        this.connection = c;
    }

    ManagerConnection connection() {
        return connection;
    }

    CompletableFuture<String> ended() {
        return ended;
    }

    /** Ends this link (first reason wins). */
    void end(String reason) {
        ended.complete(reason);
    }

    boolean isEnded() {
        return ended.isDone();
    }

    long lastInboundNanos() {
        return lastInboundNanos;
    }

    void touched() {
        lastInboundNanos = System.nanoTime();
    }

    /** The library thread that calls {@link #onManagerEvent}: its name tags the library's overflow log line. */
    String pumpThread() {
        return pumpThread;
    }

    /** Runs on asterisk-java's dispatch thread: copy into the intake, never call the sink from here. */
    @Override
    public void onManagerEvent(ManagerEvent event) {
        if (event instanceof ConnectEvent) {
            return; // fired on the login thread; the snapshot marks the link's start instead
        }
        if (pumpThread == null) {
            pumpThread = Thread.currentThread().getName();
        }
        lastInboundNanos = System.nanoTime();
        ManagerEvent before = previous;
        previous = event;
        if (synthetic(event, before)) {
            return;
        }
        switch (event) {
            case DisconnectEvent d -> {
                stopLibraryReconnect();
                ShutdownEvent sd = shutdown;
                end(sd != null
                        ? "Asterisk shut down (" + sd.getShutdown() + (Boolean.TRUE.equals(sd.getRestart())
                        ? ", restarting" : "") + ")"
                        : "the PBX closed the connection");
            }
            case ProtocolIdentifierReceivedEvent p -> {
            }
            case CoreShowChannelEvent c -> {
                // the answer to our own CoreShowChannels: it reaches the sink as the snapshot
            }
            case CoreShowChannelsCompleteEvent c -> {
            }
            default -> {
                if (event instanceof ShutdownEvent sd) {
                    shutdown = sd;
                }
                counter.accept(event);
                intake.offerEvent(number, event, () -> !ended.isDone());
            }
        }
    }

    /**
     * Whether asterisk-java made {@code event} up for consumers written for Asterisk 11 and older rather than
     * received it: a {@code Dial} next to every DialBegin, {@code Bridge} Link/Unlink from BridgeEnter/Leave
     * (Asterisk 12+ sends neither), and MeetMe events right after the ConfBridge ones they copy. The sink gets
     * what the PBX sent, once.
     */
    static boolean synthetic(ManagerEvent event, ManagerEvent previous) {
        if (event.getClass() == DialEvent.class || event.getClass() == BridgeEvent.class) {
            return true;
        }
        boolean meetMe = event instanceof MeetMeJoinEvent || event instanceof MeetMeLeaveEvent
                || event instanceof MeetMeEndEvent;
        return meetMe && (previous instanceof ConfbridgeJoinEvent || previous instanceof ConfbridgeLeaveEvent
                || previous instanceof ConfbridgeEndEvent);
    }

    /**
     * asterisk-java starts its own reconnect thread when a logged-in link drops (its first retry after 50 ms);
     * moving the connection to DISCONNECTED before then makes that thread give up.
     */
    private void stopLibraryReconnect() {
        if (connection.getState() == ManagerConnectionState.RECONNECTING) {
            try {
                connection.logoff(); // no socket any more: no Logoff is sent, only the state changes
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "logoff after a dropped link", e);
            }
        }
    }

    /**
     * Closes the link without waiting: stops listening first (nothing more reaches the intake), then logs off
     * on a throw-away thread. The Logoff also stops asterisk-java's own reconnect loop; when the link is known
     * dead ({@code polite} false) its answer is waited for only briefly.
     */
    void close(boolean polite) {
        connection.removeEventListener(this);
        if (!polite) {
            connection.setDefaultResponseTimeout(200);
        }
        Thread.ofVirtual().name("pbx-logoff-" + number).start(() -> {
            ManagerConnectionState state = connection.getState();
            if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
                try {
                    connection.logoff();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "logoff", e);
                }
            }
        });
    }
}
