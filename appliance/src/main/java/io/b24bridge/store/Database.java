package io.b24bridge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * The embedded Derby database under {@code storage.dir/db}: the one place the appliance keeps state.
 * Owns the engine's life: {@link #open} boots it, {@link #close} shuts this database down cleanly so the next
 * start needs no recovery.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    /** Derby's SQLState for "database shut down normally". */
    private static final String SHUTDOWN_OK = "08006";
    /** Derby's SQLState when another JVM already holds the database. */
    private static final String LOCKED_BY_OTHER_JVM = "XSDB6";

    /**
     * How often a database found read-only may try whether its disk takes writes again ({@link #connection}): each
     * try forces a small write to disk, and connections are asked for at the PBX's pace.
     */
    static final long REOPEN_EVERY_NANOS = 1_000_000_000L;

    private final Path dir;
    private final EmbeddedDataSource dataSource;
    private volatile boolean open = true;
    /** System.nanoTime() when the database was found read-only; 0 while it takes writes. */
    private volatile long readOnlySince;
    private long lastReopenTry;
    /** Counts the reopens: a connection taken read-only before the last one must not cause another. */
    private volatile long reopens;
    private final Object reopening = new Object();
    /** Connections between transactions, for the next ones. */
    private final IdleConnections idle = new IdleConnections();

    private Database(Path dir, EmbeddedDataSource dataSource) {
        this.dir = dir;
        this.dataSource = dataSource;
    }

    /**
     * Boots Derby (once per JVM) and opens — or creates — the database in {@code dir}.
     *
     * @throws DatabaseLockedException when another process (a running appliance) holds it
     */
    public static Database open(Path dir) {
        prepareEngine(dir.getParent());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toAbsolutePath().toString());
        ds.setCreateDatabase("create");
        try (Connection c = ds.getConnection()) {
            LOG.fine(() -> "database open: " + dir);
        } catch (SQLException e) {
            throw translateOpenFailure(dir, e);
        }
        ds.setCreateDatabase(null);
        return new Database(dir, ds);
    }

    /** Restores the database in {@code dir} from a backup folder made by {@link #backup} (appliance stopped). */
    public static void restore(Path dir, Path backupDbDir) {
        prepareEngine(dir.getParent());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toAbsolutePath().toString());
        ds.setConnectionAttributes("restoreFrom=" + backupDbDir.toAbsolutePath());
        try (Connection c = ds.getConnection()) {
            LOG.info(() -> "database restored from " + backupDbDir);
        } catch (SQLException e) {
            throw translateOpenFailure(dir, e);
        }
        new Database(dir, ds).close();
    }

    private static StoreException translateOpenFailure(Path dir, SQLException e) {
        // Derby puts the real reason in the chain of next exceptions, not only in the causes
        String reason = e.getMessage();
        for (SQLException s = e; s != null; s = s.getNextException()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql) {
                    if (LOCKED_BY_OTHER_JVM.equals(sql.getSQLState())) {
                        return new DatabaseLockedException("database '" + dir + "' is in use by another process "
                                + "(is the appliance running?)", e);
                    }
                    reason = sql.getMessage();
                }
            }
        }
        return new StoreException("database '" + dir + "' cannot be opened: " + reason, e);
    }

    /** Derby reads its system properties once, at first boot: keep derby.log in the storage folder. */
    private static synchronized void prepareEngine(Path home) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new StoreException("storage folder '" + home + "' cannot be created: " + e.getMessage(), e);
        }
        if (System.getProperty("derby.system.home") == null) {
            System.setProperty("derby.system.home", home.toAbsolutePath().toString());
        }
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", home.resolve("derby.log").toAbsolutePath().toString());
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * A connection to the database. When Derby booted it read-only — it does so, for good, when it restarts the
     * database after a write failed on a full disk (its lock file cannot be written: docs/operations.md, "Disk
     * full") — and the storage folder takes writes again, the database is shut down and booted again first, so the
     * appliance takes writes again without a restart of its process. Until then the read-only connection is
     * returned: reads go on, writes fail with SQLState 25502 and are retried by their owners.
     */
    public Connection connection() throws SQLException {
        if (!open) {
            throw new SQLException("the database is closed");
        }
        long generation = reopens;
        Connection c = dataSource.getConnection();
        if (!c.isReadOnly()) {
            return c;
        }
        return reopenIfWritable(c, generation);
    }

    private Connection reopenIfWritable(Connection readOnly, long generation) throws SQLException {
        synchronized (reopening) {
            if (reopens != generation) { // another thread reopened it meanwhile: this connection is of the old boot
                readOnly.close();
                return dataSource.getConnection();
            }
            long now = System.nanoTime();
            if (readOnlySince == 0) {
                readOnlySince = now;
                LOG.warning("the database " + dir + " is read-only: Derby booted it again while its disk was full "
                        + "(after a write failed there); it is reopened once the storage folder takes writes again");
            }
            if (lastReopenTry != 0 && now - lastReopenTry < REOPEN_EVERY_NANOS) {
                return readOnly;
            }
            lastReopenTry = now;
            if (WriteProbe.check(dir.toAbsolutePath().getParent()).isPresent()) {
                return readOnly; // still full (or read-only mounted): reads go on
            }
            readOnly.close();
            shutdown(); // ends the read-only boot; other threads' transactions roll back and are retried
            Connection c = dataSource.getConnection();
            if (c.isReadOnly()) {
                return c; // the disk filled again meanwhile: next try in a second
            }
            long seconds = (System.nanoTime() - readOnlySince) / 1_000_000_000L;
            reopens++;
            readOnlySince = 0;
            lastReopenTry = 0;
            LOG.warning("the database " + dir + " was reopened and takes writes again (read-only for " + seconds
                    + " s: its disk was full)");
            return c;
        }
    }

    /**
     * Derby's shutdown of this database (not the whole engine: other databases may live in the JVM; the engine boots
     * it again at the next connection); whether it reported a clean one (08006). Anything else is logged.
     */
    private boolean shutdown() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toAbsolutePath().toString());
        ds.setShutdownDatabase("shutdown");
        try (Connection ignored = ds.getConnection()) {
            LOG.warning("database did not report its shutdown: " + dir);
        } catch (SQLException e) {
            if (SHUTDOWN_OK.equals(e.getSQLState())) {
                return true;
            }
            LOG.log(Level.WARNING, "database shutdown of " + dir + " reported: " + e.getMessage(), e);
        }
        return false;
    }

    /** A unit of work in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. The connection is
     * one an earlier transaction left ({@link IdleConnections}), or a new one.
     */
    public <T> T inTransaction(Work<T> work) {
        IdleConnections.Kept kept = null;
        try {
            kept = borrow();
            Connection c = kept.connection();
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            if (open) {
                idle.keep(kept, reopens);
            } else {
                IdleConnections.closeQuietly(kept.connection());
            }
            kept = null;
            return result;
        } catch (SQLException e) {
            clearDerbysInterrupt(e);
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            if (kept != null) {
                // a failed transaction's connection is never kept: Derby may have closed it (XSDG1 and XJ001 on a
                // full disk, a shutdown of the database) or left it in a state the next transaction must not inherit
                IdleConnections.closeQuietly(kept.connection());
            }
        }
    }

    /**
     * Like {@link #inTransaction}, for a read whose answer is acted on as the truth (what the outbox sends, whether the
     * CRM has a call): refused with a {@link StoreException} while Derby runs the database read-only. Derby boots it
     * read-only after a write failed on a full disk with a log factory that runs no recovery (its
     * {@code impl.store.raw.log.ReadOnly}: "doesn't check that the database needs recovery"), so its pages lack every
     * change committed since they were last written: in FaultSuiteDiskFullTest the outbox read commands done seconds before
     * as waiting and sent them again — cards after the call's finish (700 and 2,487 a run), and finishes marked and sent
     * after the reopen that the box no longer knew (dead letters). Those reads wait for the reopen, as writes do.
     */
    public <T> T inTransactionUpToDate(Work<T> work) {
        return inTransaction(c -> {
            if (c.isReadOnly()) {
                throw new SQLException("the database is read-only after its disk was full, and what it reads lacks "
                        + "the changes still in its log until it is reopened", "25502");
            }
            return work.run(c);
        });
    }

    /** A kept connection still open in this boot of the database, or a new one (auto-commit off). */
    private IdleConnections.Kept borrow() throws SQLException {
        if (!open) {
            throw new SQLException("the database is closed");
        }
        long generation = reopens;
        IdleConnections.Kept kept = idle.take(generation);
        if (kept != null) {
            return kept;
        }
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            return new IdleConnections.Kept(c, generation, c.isReadOnly());
        } catch (SQLException e) {
            IdleConnections.closeQuietly(c);
            throw e;
        }
    }

    /** Derby's SQLState when an interrupt of the thread itself cut the statement: that interrupt is kept. */
    private static final String INTERRUPTED = "08000";

    /**
     * Derby, shutting a database down on an error of its own (XSLA0: its log could not be flushed on a full disk),
     * interrupts every other thread inside that database (DatabaseContextImpl.cleanupOnError,
     * ContextService.notifyAllActiveThreads); their calls fail however the shutdown cut them (08003, 08006, XJ004,
     * XJ001 around a ShutdownException, XSCH1 and XSCB1 "Container not found", measured) and leave them interrupted.
     * That interrupt is not a stop of the appliance: left set, the call engine took it for one and dropped the call
     * changes it held (a register never sent: the call's later commands dead letters), and the outbox's scheduler
     * ended (nothing sent again until a restart). An interrupt of the thread itself does not fail a Derby call (Derby
     * finishes the I/O and sets it again) except a lock wait, with 08000: that one is kept. The caller retries.
     */
    static void clearDerbysInterrupt(SQLException e) {
        if (!Thread.currentThread().isInterrupted()) {
            return;
        }
        for (SQLException s = e; s != null; s = s.getNextException()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && INTERRUPTED.equals(sql.getSQLState())) {
                    return;
                }
            }
        }
        Thread.interrupted();
        LOG.fine(() -> "cleared the interrupt Derby set while shutting the database down: " + e);
    }

    /** Is the database answering? Used by /health. */
    public boolean ping() {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("VALUES 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            clearDerbysInterrupt(e);
            return false;
        }
    }

    /**
     * Online backup (Derby's SYSCS_BACKUP_DATABASE): a consistent copy while the appliance runs.
     *
     * @param targetParent folder to hold the backup; a dated sub-folder is made in it
     * @return the folder to restore from (the copied database itself)
     */
    public Path backup(Path targetParent) {
        Path target = targetParent.toAbsolutePath()
                .resolve("b24bridge-backup-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new StoreException("backup folder '" + target + "' cannot be created: " + e.getMessage(), e);
        }
        try (Connection c = connection();
             var call = c.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
            call.setString(1, target.toString());
            call.execute();
        } catch (SQLException e) {
            throw new StoreException("backup to '" + target + "' failed: " + e.getMessage(), e);
        }
        ownOnly(target); // the folder the backup made; the folder it sits in is the operator's
        return target.resolve(dir.getFileName());
    }

    /**
     * A backup holds every call and the encrypted tokens: whatever the umask, its folders become 0700 and its files
     * 0600 (the service's user and root only).
     */
    private static void ownOnly(Path root) {
        try (var all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                            Files.isDirectory(p) ? "rwx------" : "rw-------"));
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: its own rules apply
        } catch (IOException e) {
            throw new StoreException("backup '" + root + "' was written, but its permissions could not be narrowed: "
                    + e.getMessage(), e);
        }
    }

    /** Shuts this database down cleanly (not the whole engine: other databases may live in the JVM). */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        idle.closeAll(); // before the shutdown: what a transaction gives back from now on is closed, not kept
        if (shutdown()) {
            LOG.info(() -> "database closed cleanly: " + dir);
        }
    }
}
