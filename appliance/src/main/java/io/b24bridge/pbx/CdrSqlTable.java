package io.b24bridge.pbx;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.b24bridge.calls.CallFact;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.store.StoreException;

/**
 * The PBX's own call records as FreePBX keeps them: the {@code cdr} table of {@code asteriskcdrdb} (MariaDB), written
 * by Asterisk's cdr_adaptive_odbc as each leg ends. A row has the leg's start ({@code calldate}, the PBX's local
 * time), its length ({@code duration}) and talk ({@code billsec}), so its answer is {@code duration - billsec} after
 * its start; FreePBX names the DID ({@code did}) and the recording ({@code recordingfile}, a file name under the
 * monitor folder's {@code YYYY/MM/DD}) itself; the product's dialplan adds both to {@code userfield} too. Each read
 * opens its own connection, with timeouts: the appliance never waits on the PBX's database for long.
 */
final class CdrSqlTable implements PbxRecords {

    /** Columns every Asterisk CDR table has. */
    private static final List<String> REQUIRED = List.of("calldate", "src", "dst", "channel", "dstchannel", "duration",
            "billsec", "disposition", "uniqueid");
    /** Columns later tables add (linkedid with Asterisk 1.8's new columns, did and recordingfile with FreePBX). */
    private static final List<String> OPTIONAL = List.of("linkedid", "userfield", "did", "recordingfile");
    /** Where the statements take the select list and the call's grouping column, once the table is known. */
    private static final String COLUMNS_MARK = "{columns}";
    private static final String LINKEDID_MARK = "{linkedid}";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final ApplianceConfig.CdrSql config;
    private final Path recordingsPbxDir;
    /** The select list, once the table's columns are known (a missing optional column reads as NULL). */
    private volatile String columns;
    /** The column that groups a call's rows: linkedid, or on tables without it each row's uniqueid. */
    private volatile String linkedidColumn;

    CdrSqlTable(ApplianceConfig.CdrSql config, Path recordingsPbxDir) {
        this.config = config;
        this.recordingsPbxDir = recordingsPbxDir;
    }

    @Override
    public String where() {
        // a URL may carry a password among its options: never shown
        return "the " + config.table() + " table at " + config.url().replaceAll("(?i)password=[^&;]*", "password=****");
    }

    @Override
    public Map<String, List<CallFact.RecordedLeg>> rowsOf(Collection<String> linkedids) {
        if (linkedids.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", Collections.nCopies(linkedids.size(), "?"));
        return query("SELECT " + COLUMNS_MARK + " FROM " + config.table() + " WHERE " + LINKEDID_MARK + " IN (" + marks + ")"
                + " ORDER BY calldate", ps -> {
            int i = 1;
            for (String id : linkedids) {
                ps.setString(i++, id);
            }
        });
    }

    @Override
    public Map<String, List<CallFact.RecordedLeg>> startedSince(Instant from) {
        Map<String, List<CallFact.RecordedLeg>> rows = query("SELECT " + COLUMNS_MARK + " FROM " + config.table()
                + " WHERE calldate >= ? ORDER BY calldate",
                ps -> ps.setObject(1, LocalDateTime.ofInstant(from, config.timeZone())));
        // a call whose first row began before {@code from} is only partly in the answer: not this window's
        rows.values().removeIf(legs -> legs.getFirst().start().isBefore(from));
        return rows;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** The table's columns, looked up once: FreePBX's tables differ between versions. */
    private String columns(Connection c) throws SQLException {
        String known = columns;
        if (known != null) {
            return known;
        }
        Set<String> have = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + config.table() + " WHERE 1 = 0");
             ResultSet rs = ps.executeQuery()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                have.add(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
        }
        List<String> missing = REQUIRED.stream().filter(col -> !have.contains(col)).toList();
        if (!missing.isEmpty()) {
            throw new SQLException("the table has no column " + String.join(", ", missing) + ": not an Asterisk CDR table");
        }
        List<String> select = new ArrayList<>(REQUIRED);
        for (String col : OPTIONAL) {
            select.add(have.contains(col) ? col : "NULL AS " + col);
        }
        linkedidColumn = have.contains("linkedid") ? "linkedid" : "uniqueid";
        columns = String.join(", ", select);
        return columns;
    }

    private Map<String, List<CallFact.RecordedLeg>> query(String sql, Binder binder) {
        Properties p = new Properties();
        p.setProperty("user", config.username());
        p.setProperty("password", config.password().revealString());
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "60000");
        Map<String, List<CallFact.RecordedLeg>> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(config.url(), p);
             PreparedStatement ps = c.prepareStatement(sql.replace(COLUMNS_MARK, columns(c))
                     .replace(LINKEDID_MARK, linkedidColumn))) {
            binder.bind(ps);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String linkedid = rs.getString("linkedid");
                    if (linkedid == null || linkedid.isBlank()) {
                        linkedid = rs.getString("uniqueid"); // an older table without linkedid: the row's own call
                    }
                    out.computeIfAbsent(linkedid, k -> new ArrayList<>()).add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("the PBX's call records in " + where() + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    private CallFact.RecordedLeg row(ResultSet rs) throws SQLException {
        LocalDateTime local = rs.getObject("calldate", LocalDateTime.class);
        ZonedDateTime zoned = local.atZone(config.timeZone());
        Instant start = zoned.toInstant();
        Instant end = start.plusSeconds(rs.getLong("duration"));
        String disposition = rs.getString("disposition");
        Instant answer = "ANSWERED".equalsIgnoreCase(disposition) ? end.minusSeconds(rs.getLong("billsec")) : null;
        String userfield = rs.getString("userfield");
        String did = UserField.did(userfield);
        if (did == null) {
            did = blankToNull(rs.getString("did"));
        }
        String recording = UserField.recording(userfield);
        if (recording == null) {
            String file = blankToNull(rs.getString("recordingfile"));
            recording = file == null || file.startsWith("/") ? file
                    : recordingsPbxDir.resolve(zoned.format(DAY)).resolve(file).toString();
        }
        return new CallFact.RecordedLeg(rs.getString("channel"), rs.getString("dstchannel"), start, answer, end,
                disposition, rs.getString("src"), rs.getString("dst"), did, recording);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
