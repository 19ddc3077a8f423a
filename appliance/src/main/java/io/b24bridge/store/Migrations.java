package io.b24bridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Applies the schema migrations in order, each once, each in its own transaction together with its row in
 * {@code SCHEMA_HISTORY}: Derby's DDL is transactional, so a failing script leaves the database exactly as
 * it was. A script changed after it was applied is refused (its checksum no longer matches).
 */
public final class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    /** The appliance's schema, in order. Add new steps at the end; never edit an applied one. */
    public static final List<Migration> SCHEMA = List.of(
            new Migration(1, "settings store", "db/migrations/V001__settings.sql"),
            new Migration(2, "Bitrix24 application tokens", "db/migrations/V002__bitrix_auth.sql"),
            new Migration(3, "call states and the outbox", "db/migrations/V003__outbox.sql"),
            new Migration(4, "CRM entity of a call, operator ratings", "db/migrations/V004__routing_ratings.sql"),
            new Migration(5, "outbox and rating ids given by the appliance", "db/migrations/V005__ids_from_the_appliance.sql"),
            new Migration(6, "when each PBX was last followed", "db/migrations/V006__pbx_links.sql"),
            new Migration(7, "admin accounts, API tokens and the audit log", "db/migrations/V007__admin_accounts_audit.sql"),
            new Migration(8, "the inbox of the box's events", "db/migrations/V008__box_events.sql"),
            new Migration(9, "calls whose lost register may have made two", "db/migrations/V009__registers_at_risk.sql"),
            new Migration(10, "scheduled jobs (Quartz's store) and their runs", "db/migrations/V010__jobs.sql"),
            new Migration(11, "when each PBX was first followed", "db/migrations/V011__pbx_first_followed.sql"),
            new Migration(12, "missed-call tasks", "db/migrations/V012__missed_call_tasks.sql"),
            new Migration(14, "click-to-call requests, once per CALL_ID", "db/migrations/V014__click_calls.sql"),
            new Migration(15, "the oldest settings version the history rebuilds whole",
                    "db/migrations/V015__settings_history_horizon.sql"),
            new Migration(18, "website callbacks, once per form request", "db/migrations/V018__callbacks.sql"));

    private Migrations() {
    }

    /**
     * Brings the schema up to date.
     *
     * @return the versions applied by this call (empty when it was up to date)
     * @throws MigrationException when a step fails (the database stays at the last good version)
     */
    public static List<Integer> apply(Database db, List<Migration> migrations) {
        db.inTransaction(Migrations::ensureHistoryTable);
        Map<Integer, String> applied = db.inTransaction(Migrations::appliedChecksums);
        List<Integer> done = new ArrayList<>();
        int last = 0;
        for (Migration m : migrations) {
            if (m.version() <= last) {
                throw new MigrationException("migration list out of order at version " + m.version());
            }
            last = m.version();
            String script = read(m);
            String checksum = sha256(script);
            String known = applied.get(m.version());
            if (known != null) {
                if (!known.equals(checksum)) {
                    throw new MigrationException("migration V" + m.version() + " (" + m.description()
                            + ") was changed after it was applied; restore its original script");
                }
                continue;
            }
            applyOne(db, m, script, checksum);
            done.add(m.version());
        }
        return done;
    }

    /** The highest applied version, 0 for an empty database. */
    public static int currentVersion(Database db) {
        return db.inTransaction(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT MAX(VERSION) FROM SCHEMA_HISTORY")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private static void applyOne(Database db, Migration m, String script, String checksum) {
        List<String> statements = statements(script);
        int[] at = {0};
        try {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : statements) {
                        at[0]++;
                        s.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO SCHEMA_HISTORY (VERSION, DESCRIPTION, CHECKSUM, APPLIED_AT) VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setString(3, checksum);
                    ps.setTimestamp(4, Timestamp.from(Instant.now()));
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (StoreException e) {
            throw new MigrationException("migration V" + m.version() + " (" + m.description() + ") failed at statement "
                    + at[0] + " of " + statements.size() + ": " + rootMessage(e)
                    + "; the database is unchanged by it", e);
        }
        LOG.info(() -> "schema migrated to V" + m.version() + " (" + m.description() + ")");
    }

    private static Void ensureHistoryTable(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "SCHEMA_HISTORY", null)) {
            if (rs.next()) {
                return null;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE SCHEMA_HISTORY (VERSION INT NOT NULL PRIMARY KEY, "
                    + "DESCRIPTION VARCHAR(200) NOT NULL, CHECKSUM CHAR(64) NOT NULL, APPLIED_AT TIMESTAMP NOT NULL)");
        }
        return null;
    }

    private static Map<Integer, String> appliedChecksums(Connection c) throws SQLException {
        Map<Integer, String> applied = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION, CHECKSUM FROM SCHEMA_HISTORY ORDER BY VERSION")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2).trim());
            }
        }
        return applied;
    }

    /** Splits a script at {@code ;} ending a line; {@code --} comment lines are dropped. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String read(Migration m) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(m.resource())) {
            if (in == null) {
                throw new MigrationException("migration V" + m.version() + ": script " + m.resource() + " not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new MigrationException("migration V" + m.version() + ": script cannot be read: " + e.getMessage(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
