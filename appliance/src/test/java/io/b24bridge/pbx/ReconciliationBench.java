package io.b24bridge.pbx;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.Secret;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

/**
 * Not a test: the reconciliation of a day of 10,000 calls (about 20,000 CDR rows: direct calls, ring groups, missed
 * calls), from Master.csv and from FreePBX's cdr table in a real MariaDB (started here: Debian's mariadb-server).
 * Prints, per source, the first run (every call never seen: registered into the outbox, Derby on disk) and the
 * steady state (every call known: what the periodic job costs). Run from {@code appliance/}:
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.pbx.ReconciliationBench [calls=10000]
 * </pre>
 */
public final class ReconciliationBench {

    private static final Logger QUIET = Logger.getLogger("io.b24bridge"); // held: JUL keeps loggers weakly
    private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String DID = "74951234567";

    private ReconciliationBench() {
    }

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(Level.WARNING);
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("reconcile-bench");
        Instant now = Instant.now();
        Instant dayAgo = now.minus(Duration.ofHours(23));

        Path csv = dir.resolve("Master.csv");
        int rows = writeCsv(csv, calls, dayAgo);
        System.out.printf("Master.csv: %d calls, %d rows, %.1f MB%n", calls, rows, Files.size(csv) / 1e6);
        run("csv", dir.resolve("db-csv"), new CdrCsvFile(csv, Duration.ofDays(1), Clock.systemUTC()));

        try (MariaDbServer mariadb = MariaDbServer.start(dir.resolve("mariadb"))) {
            mariadb.createFreePbxCdr();
            long t0 = System.nanoTime();
            writeSql(mariadb, calls, dayAgo);
            System.out.printf("cdr table: %d rows inserted in %d ms%n", rows, (System.nanoTime() - t0) / 1_000_000);
            run("sql", dir.resolve("db-sql"), new CdrSqlTable(new ApplianceConfig.CdrSql(mariadb.url("asteriskcdrdb"),
                    "cdr", Secret.of(MariaDbServer.CDR_PASSWORD), "cdr", ZoneId.of("Europe/Moscow")),
                    Path.of("/var/spool/asterisk/monitor")));
        }
    }

    private static void run(String source, Path dbDir, PbxRecords records) {
        Database db = Database.open(dbDir);
        try {
            Migrations.apply(db, Migrations.SCHEMA);
            Outbox outbox = Outbox.open(db, Json.newMapper());
            CallEngine engine = new CallEngine(new CallTracker(p -> Endpoints.standard()), new CrmLifecycle(),
                    outbox.journal(), ReconciliationBench::settings);
            Reconciliation r = new Reconciliation("pbx1", records, engine, () -> true, () -> Instant.MIN,
                    Duration.ofDays(1), Clock.systemUTC());
            long t0 = System.nanoTime();
            String first = r.run();
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            String steady = r.run();
            long steadyMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("%s: first run %d ms (%s)%n%s: steady run %d ms (%s)%n", source, firstMs,
                    first.replaceAll(" in .* since \\S+:", ":"), source, steadyMs,
                    steady.replaceAll(" in .* since \\S+:", ":"));
            System.out.printf("%s: %d commands queued for the box%n", source, outbox.report().counts().pending());
        } finally {
            db.close();
        }
    }

    private static Settings settings() {
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Ads", "defaultResponsibleUserId": 4}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }

    /** One row: start, answer (or null), end, disposition, channels, the call's Linkedid and its sequence. */
    private record Row(Instant start, Instant answer, Instant end, String disposition, String src, String dst,
                       String channel, String dstChannel, String linkedid, int sequence) {
    }

    /** Every third call a ring group (101 rings out, 102 answers), every fifth missed, the rest answered by 101. */
    private static void rows(int calls, Instant from, java.util.function.Consumer<Row> out) {
        long spread = Duration.ofHours(22).toSeconds();
        for (int i = 0; i < calls; i++) {
            Instant s = from.plusSeconds(spread * i / calls);
            String linkedid = (s.getEpochSecond()) + "." + i;
            String caller = "7916" + String.format("%07d", i);
            String trunk = "PJSIP/trunk-" + String.format("%08x", i);
            if (i % 5 == 4) {
                out.accept(new Row(s, null, s.plusSeconds(20), "NO ANSWER", caller, DID, trunk, "PJSIP/101-a" + i,
                        linkedid, 1));
            } else if (i % 3 == 2) {
                out.accept(new Row(s, null, s.plusSeconds(6), "NO ANSWER", caller, "200", trunk, "PJSIP/101-b" + i,
                        linkedid, 1));
                out.accept(new Row(s, s.plusSeconds(6), s.plusSeconds(66), "ANSWERED", caller, "200", trunk,
                        "PJSIP/102-c" + i, linkedid, 2));
            } else {
                out.accept(new Row(s, s.plusSeconds(3), s.plusSeconds(123), "ANSWERED", caller, DID, trunk,
                        "PJSIP/101-d" + i, linkedid, 1));
            }
        }
    }

    private static int writeCsv(Path csv, int calls, Instant from) throws Exception {
        int[] n = {0};
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            rows(calls, from, r -> {
                String line = String.join(",", q(""), q(r.src()), q(r.dst()), q("from-trunk"), q("<" + r.src() + ">"),
                        q(r.channel()), q(r.dstChannel()), q("Dial"), q(""), q(t(r.start())),
                        r.answer() == null ? "" : q(t(r.answer())), q(t(r.end())),
                        String.valueOf(r.end().getEpochSecond() - r.start().getEpochSecond()),
                        String.valueOf(r.answer() == null ? 0 : r.end().getEpochSecond() - r.answer().getEpochSecond()),
                        q(r.disposition()), q("DOCUMENTATION"), q(r.linkedid() + "." + r.sequence()),
                        q("b24did=" + DID + "|b24rec=/var/spool/asterisk/monitor/" + r.linkedid() + ".wav"), q(""),
                        q(r.linkedid()), String.valueOf(r.sequence()));
                try {
                    w.write(line);
                    w.write('\n');
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                n[0]++;
            });
        }
        return n[0];
    }

    private static void writeSql(MariaDbServer mariadb, int calls, Instant from) throws Exception {
        try (Connection c = mariadb.root();
             PreparedStatement ps = c.prepareStatement("INSERT INTO asteriskcdrdb.cdr (calldate, src, dst, channel, "
                     + "dstchannel, duration, billsec, disposition, uniqueid, linkedid, sequence, did) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            int[] n = {0};
            rows(calls, from, r -> {
                try {
                    ps.setObject(1, LocalDateTime.ofInstant(r.start(), ZoneId.of("Europe/Moscow")));
                    ps.setString(2, r.src());
                    ps.setString(3, r.dst());
                    ps.setString(4, r.channel());
                    ps.setString(5, r.dstChannel());
                    ps.setLong(6, r.end().getEpochSecond() - r.start().getEpochSecond());
                    ps.setLong(7, r.answer() == null ? 0 : r.end().getEpochSecond() - r.answer().getEpochSecond());
                    ps.setString(8, r.disposition());
                    ps.setString(9, r.linkedid() + "." + r.sequence());
                    ps.setString(10, r.linkedid());
                    ps.setInt(11, r.sequence());
                    ps.setString(12, DID);
                    ps.addBatch();
                    if (++n[0] % 1000 == 0) {
                        ps.executeBatch();
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            ps.executeBatch();
            c.commit();
        }
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String t(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(CSV_TIME);
    }
}
