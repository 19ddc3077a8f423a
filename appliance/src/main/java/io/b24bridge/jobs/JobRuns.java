package io.b24bridge.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.b24bridge.store.Database;

/**
 * Each job's last run ({@code JOB_RUNS}, its one owner): kept in the database, so what the last run did or why
 * it failed is still shown after a restart, and a run cut short by a crash shows as begun and never ended.
 */
final class JobRuns {

    /** What is known of a job's runs. */
    record Run(Instant lastStart, Instant lastEnd, Boolean lastOk, String lastResult, String lastError, long runs,
               long failures) {

        static final Run NEVER = new Run(null, null, null, null, null, 0, 0);
    }

    private final Database db;

    JobRuns(Database db) {
        this.db = db;
    }

    void started(String job, Instant at) {
        db.inTransaction(c -> {
            if (update(c, "UPDATE JOB_RUNS SET LAST_START = ? WHERE JOB_NAME = ?", at, job) == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO JOB_RUNS (JOB_NAME, LAST_START, RUNS, "
                        + "FAILURES) VALUES (?, ?, 0, 0)")) {
                    ps.setString(1, job);
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    void succeeded(String job, Instant at, String result) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE JOB_RUNS SET LAST_END = ?, LAST_OK = 1, "
                    + "LAST_RESULT = ?, LAST_ERROR = NULL, RUNS = RUNS + 1 WHERE JOB_NAME = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, truncate(result, 1000));
                ps.setString(3, job);
                ps.executeUpdate();
            }
            return null;
        });
    }

    void failed(String job, Instant at, String error) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE JOB_RUNS SET LAST_END = ?, LAST_OK = 0, "
                    + "LAST_ERROR = ?, RUNS = RUNS + 1, FAILURES = FAILURES + 1 WHERE JOB_NAME = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, truncate(error, 2000));
                ps.setString(3, job);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every job's runs, by name. */
    Map<String, Run> all() {
        return db.inTransaction(c -> {
            Map<String, Run> runs = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT JOB_NAME, LAST_START, LAST_END, LAST_OK, "
                    + "LAST_RESULT, LAST_ERROR, RUNS, FAILURES FROM JOB_RUNS");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    short ok = rs.getShort(4);
                    Boolean lastOk = rs.wasNull() ? null : ok == 1;
                    runs.put(rs.getString(1), new Run(instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                            lastOk, rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8)));
                }
            }
            return runs;
        });
    }

    private static int update(Connection c, String sql, Instant at, String job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, job);
            return ps.executeUpdate();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
