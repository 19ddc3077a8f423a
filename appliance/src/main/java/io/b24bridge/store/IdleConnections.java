package io.b24bridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Database}'s connections between transactions, kept for the next ones: opening an embedded connection per
 * transaction cost 6–7 % of the appliance's CPU under load (JFR, docs/development.md "Where the CPU goes"). Only a
 * connection whose transaction committed comes back here; one that failed is closed by its user.
 */
final class IdleConnections {

    private static final Logger LOG = Logger.getLogger(IdleConnections.class.getName());

    /**
     * How many idle connections are kept: the writers that run at once (the call engine, the outbox's workers, the
     * box-event inbox, /health) and some spare; more are opened when needed and closed after their transaction.
     */
    static final int KEPT = 8;
    /**
     * A connection is closed after this many transactions: a statement some code forgot to close would stay on a
     * connection that lives for ever (Derby keeps its activation); this bounds what such a leak can hold.
     */
    static final int TRANSACTIONS_PER_CONNECTION = 10_000;

    /** A connection between transactions (auto-commit off), with the boot of the database it belongs to. */
    static final class Kept {
        private final Connection connection;
        private final long generation;
        private final boolean readOnly;
        private int transactions;

        Kept(Connection connection, long generation, boolean readOnly) {
            this.connection = connection;
            this.generation = generation;
            this.readOnly = readOnly;
        }

        Connection connection() {
            return connection;
        }
    }

    private final ConcurrentLinkedDeque<Kept> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();

    /**
     * An idle connection still open in this boot of the database ({@code generation}: a shutdown — Derby's own on a
     * full disk, a reopen — closed every connection of the boot before), or null.
     */
    Kept take(long generation) {
        for (Kept k; (k = idle.pollFirst()) != null; ) {
            count.decrementAndGet();
            try {
                if (k.generation == generation && !k.connection.isClosed()) {
                    return k;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "an idle connection was dropped: " + e.getMessage(), e);
            }
            closeQuietly(k.connection);
        }
        return null;
    }

    /**
     * Keeps a connection whose transaction committed, or closes it. Never throws: the transaction is committed, and
     * a failure here must not make its caller do it again. A read-only connection is not kept, so that each
     * transaction asks {@link Database#connection} again whether the disk takes writes.
     */
    void keep(Kept k, long generation) {
        try {
            Connection c = k.connection;
            if (!k.readOnly && ++k.transactions < TRANSACTIONS_PER_CONNECTION && k.generation == generation
                    && !c.isClosed()) {
                if (c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // as a new one (OutboxReport)
                }
                if (count.incrementAndGet() <= KEPT) {
                    idle.offerFirst(k); // the last used goes first: the fewest connections stay in use
                    return;
                }
                count.decrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "a connection was not kept: " + e.getMessage(), e);
        }
        closeQuietly(k.connection);
    }

    /** Closes every idle connection (the database is closing, or is backed up for a restore elsewhere). */
    void closeAll() {
        for (Kept k; (k = idle.pollFirst()) != null; ) {
            count.decrementAndGet();
            closeQuietly(k.connection);
        }
    }

    /** Rolls back and closes; a connection Derby closed already (a shutdown, a disk-full error) is left as it is. */
    static void closeQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                try {
                    c.rollback(); // Derby refuses to close a connection inside a transaction (25001)
                } finally {
                    c.close();
                }
            }
        } catch (SQLException e) {
            Database.clearDerbysInterrupt(e);
            LOG.log(Level.FINE, "closing a connection: " + e.getMessage(), e);
        }
    }
}
