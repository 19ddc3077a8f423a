package io.b24bridge.testkit.pbx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's faults at load, beside the all-or-nothing ones of {@link PbxSimulator} (silent, refusing,
 * down): a PBX slow to read its clients' actions, garbage between events, the connection dropped every few
 * seconds, and Asterisk's write timeout, which disconnects a client that reads too slowly.
 */
public final class PbxFaults implements AutoCloseable {

    private final PbxSimulator sim;
    private final AtomicLong slowClientsDropped = new AtomicLong();
    private final AtomicLong garbageSent = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private volatile Duration writeTimeout = Duration.ofSeconds(1);
    private volatile Duration actionDelay = Duration.ZERO;
    private Thread watchdog;

    PbxFaults(PbxSimulator sim) {
        this.sim = sim;
    }

    void start(int port) {
        watchdog = Thread.ofPlatform().daemon().name("pbx-sim-writetimeout-" + port).start(this::watchWrites);
    }

    /**
     * manager.conf's {@code writetimeout}: how long a write to a client may stay stuck before Asterisk ends the
     * session (main/manager.c: {@code send_string} sets {@code write_error}, {@code session_do} leaves). 1 s by
     * default, as on the test PBX and in the product's manager.conf advice; Asterisk's own default is 100 ms.
     */
    public PbxFaults writeTimeout(Duration timeout) {
        this.writeTimeout = timeout;
        return this;
    }

    /** A PBX slow to read its clients' actions: each is answered only after {@code delay} (zero: at once). */
    public PbxFaults slowActions(Duration delay) {
        this.actionDelay = delay;
        return this;
    }

    /**
     * Puts {@code bytes} on the wire of every logged-in client between two events, as they are (they need not be
     * UTF-8, nor end with an empty line).
     */
    public void garbage(byte[] bytes) {
        for (SimSession s : sim.sessionList()) {
            if (s.authenticated()) {
                s.sendRaw(bytes);
                garbageSent.incrementAndGet();
            }
        }
    }

    /**
     * Drops every client connection every {@code period} (a flaky network, a manager that keeps restarting)
     * until the returned handle is closed. Closing waits for the dropping thread to end: a drop it had begun when
     * asked to stop is over (and counted) by then, never one more afterwards (a handle that only interrupted let a
     * drop under way land on the next client; "no drop once stopped" then failed on a busy machine).
     */
    public AutoCloseable dropEvery(Duration period) {
        Thread t = Thread.ofPlatform().daemon().name("pbx-sim-drops").start(() -> {
            try {
                while (!sim.isClosed()) {
                    Thread.sleep(period.toMillis());
                    sim.dropConnections();
                    drops.incrementAndGet();
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
        return () -> {
            t.interrupt();
            t.join();
        };
    }

    Duration actionDelay() {
        return actionDelay;
    }

    /** Clients disconnected because they did not read within the write timeout. */
    public long slowClientsDropped() {
        return slowClientsDropped.get();
    }

    /** Garbage blocks put on the wire (one per client). */
    public long garbageSent() {
        return garbageSent.get();
    }

    /** Times {@link #dropEvery} dropped the clients. */
    public long drops() {
        return drops.get();
    }

    private void watchWrites() {
        while (!sim.isClosed()) {
            long now = System.nanoTime();
            long limit = writeTimeout.toNanos();
            for (SimSession s : sim.sessionList()) {
                if (s.writeStuckNanos(now) > limit) {
                    slowClientsDropped.incrementAndGet();
                    s.close();
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.interrupt();
        }
    }
}
