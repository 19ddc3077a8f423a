package io.b24bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derby shuts a database down by itself when its log cannot be flushed on a full disk (XSLA0), and interrupts every
 * other thread inside that database as it does (DatabaseContextImpl.cleanupOnError,
 * ContextService.notifyAllActiveThreads). The call engine took such an interrupt for the appliance's stop and dropped
 * the call changes it held (a register never sent: the call's later commands dead letters); the outbox's scheduler
 * ended (nothing sent again until a restart). A thread whose transaction failed that way must come out of
 * {@link Database} with the failure, to retry, not interrupted. On a small tmpfs filled while several threads commit;
 * needs root (CI runs as root) and fails, never skips, when it cannot mount.
 */
class DatabaseShutDownUnderAThreadTest {

    private static final int WRITERS = 6;
    /** Refusals awaited: Derby's log fails some hundreds into them (measured: 364 threads interrupted in 133,000). */
    private static final int REFUSALS = 20_000;

    @TempDir
    Path dir;

    @Test
    void threadsInsideTheDatabaseDerbyShutsDownOnAFullDiskAreNotLeftInterrupted() throws Exception {
        SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), "16m");
        Database db = Database.open(disk.path().resolve("db"));
        try {
            db.inTransaction(c -> c.createStatement().executeUpdate("CREATE TABLE t (id INT, note VARCHAR(1000))"));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            List<String> interrupted = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                writers.add(Thread.ofPlatform().daemon().start(() -> {
                    while (!stop.get()) {
                        try {
                            db.inTransaction(c -> {
                                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                                    ps.setInt(1, id);
                                    ps.setString(2, "x".repeat(1000));
                                    return ps.executeUpdate();
                                }
                            });
                        } catch (StoreException refused) {
                            failures.incrementAndGet();
                            if (Thread.interrupted()) { // what the engine's backoff would have taken for a stop
                                interrupted.add(chain(refused));
                            }
                        }
                    }
                }));
            }
            disk.fill();
            // the writers go on while Derby refuses them: data pages first (XSDG1: the connection closed), then its
            // log (XSLA0: the database shut down, the others inside it interrupted), then the read-only boot (25502)
            // a count, bounded only so that a broken build ends: at a load average of 20-27 the 6 writers got 7,052
            // refusals in 60 s, at 18 some 800 a second
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (failures.get() < REFUSALS && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            stop.set(true);
            for (Thread t : writers) {
                t.join(10_000);
            }
            System.out.println(failures.get() + " writes refused; left interrupted: " + interrupted.size());
            assertTrue(failures.get() >= REFUSALS, failures.get() + " writes refused in 300 s on a full disk");
            assertEquals(List.of(), interrupted, "threads left interrupted by Derby's shutdown of the database");
            disk.free();
        } finally {
            db.close();
            disk.close();
        }
    }

    /** The failure's causes, with Derby's SQLStates: which kind of refusal left the thread interrupted. */
    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getClass().getSimpleName()).append(t instanceof java.sql.SQLException s ? " " + s.getSQLState()
                    + "/" + s.getErrorCode() : "").append(": ").append(t.getMessage()).append(" <- ");
        }
        return b.toString();
    }
}
