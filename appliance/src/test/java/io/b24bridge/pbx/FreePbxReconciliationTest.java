package io.b24bridge.pbx;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.pbx.PbxSimulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FreePBX keeps its call records in MariaDB ({@code asteriskcdrdb.cdr}); five calls started and ended while the
 * appliance was down. A real MariaDB (Debian's, started by the test) holds them in FreePBX's shape, in the PBX's
 * local time; the appliance, once up and linked to the PBX (a simulated AMI: the PBX has no call in progress),
 * registers and finishes each in Bitrix24 (the emulator) once, with its real start, talk time, status, operator and
 * recording — and a restart sends none of them again.
 */
class FreePbxReconciliationTest {

    private static final ZoneId PBX_ZONE = ZoneId.of("Europe/Moscow");
    private static final String DID = "74951234567";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    @TempDir
    Path dir;
    MariaDbServer mariadb;
    PbxSimulator pbx;
    BoxEmulator emu;
    TestAppliance app;
    Path recordings;

    @BeforeEach
    void start() throws Exception {
        mariadb = MariaDbServer.start(dir.resolve("mariadb"));
        mariadb.createFreePbxCdr();
        pbx = PbxSimulator.start("b24bridge", "test-secret");
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).deployment(Deployment.AIR_GAPPED)
                .webhook(1, "cdrwebhook", Set.of()).build().start();
        recordings = Files.createDirectories(dir.resolve("monitor"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emu != null) {
            emu.stop();
        }
        if (pbx != null) {
            pbx.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    private TestAppliance startAppliance() {
        TestAppliance a = TestAppliance.start(dir, EmulatedBox.webhookSection(emu, 1, "cdrwebhook")
                + """
                pbx:
                  - id: freepbx
                    host: %s
                    port: %d
                    username: b24bridge
                    secret: test-secret
                    recordings-dir: %s
                    recordings-pbx-dir: /var/spool/asterisk/monitor
                    reconnect-min: 200ms
                    ping-interval: 1s
                    reconcile-every: 1h
                    cdr-sql:
                      url: %s
                      username: cdr
                      password: %s
                      time-zone: Europe/Moscow
                agi:
                  port: 0
                """.formatted(pbx.host(), pbx.port(), recordings, mariadb.url("asteriskcdrdb"),
                MariaDbServer.CDR_PASSWORD).replace("%", "%%"));
        var routes = a.put("/api/settings/inbound-routes", """
                {"routes": [{"did": "74951234567", "name": "Ads line", "leadSource": "DID_74951234567",
                  "defaultResponsibleUserId": 4}]}""");
        assertEquals(200, routes.statusCode(), routes.body());
        return a;
    }

    /** One row as FreePBX's cdr_adaptive_odbc writes it: the leg's start in the PBX's local time. */
    private void row(Instant start, int duration, int billsec, String disposition, String src, String dst,
                     String channel, String dstChannel, String linkedid, int sequence, String recordingFile)
            throws Exception {
        try (Connection c = mariadb.root();
             PreparedStatement ps = c.prepareStatement("INSERT INTO asteriskcdrdb.cdr (calldate, clid, src, dst, "
                     + "dcontext, channel, dstchannel, lastapp, lastdata, duration, billsec, disposition, amaflags, "
                     + "uniqueid, did, recordingfile, linkedid, sequence) VALUES (?, ?, ?, ?, 'from-pstn', ?, ?, 'Dial', "
                     + "'', ?, ?, ?, 3, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, LocalDateTime.ofInstant(start, PBX_ZONE));
            ps.setString(2, "\"\" <" + src + ">");
            ps.setString(3, src);
            ps.setString(4, dst);
            ps.setString(5, channel);
            ps.setString(6, dstChannel);
            ps.setInt(7, duration);
            ps.setInt(8, billsec);
            ps.setString(9, disposition);
            ps.setString(10, linkedid + "." + sequence);
            ps.setString(11, channel.contains("trunk") ? DID : "");
            ps.setString(12, recordingFile == null ? "" : recordingFile);
            ps.setString(13, linkedid);
            ps.setInt(14, sequence);
            ps.executeUpdate();
        }
    }

    /** FreePBX's recording file name, written under the monitor folder's day. */
    private String recording(Instant start, String name) throws Exception {
        Path file = recordings.resolve(LocalDateTime.ofInstant(start, PBX_ZONE).format(DAY)).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, "RIFF\u0024\0\0\0WAVEfmt a recording".getBytes());
        return name;
    }

    @Test
    void fiveCallsOfTheDowntimeReachTheCrmOnceWithTheirRealTimes() throws Exception {
        // the appliance follows the PBX, then is down while five calls start and end
        app = startAppliance();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> app.get("/health").body().contains("\"pbx\":{\"state\":\"UP\""));
        app.close();
        app = null;
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);

        // 1: answered by 101 after 2 s, talked 7 s, recorded
        row(t0, 9, 7, "ANSWERED", "79161112201", DID, "PJSIP/trunk-00000001", "PJSIP/101-00000002", "1733130001.1", 1,
                recording(t0, "external-101-79161112201-1733130001.1.wav"));
        // 2: a ring group — 101 rang out, 102 answered and talked 5 s
        Instant t2 = t0.plusSeconds(1);
        row(t2, 3, 0, "NO ANSWER", "79161112202", "200", "PJSIP/trunk-00000003", "PJSIP/101-00000004", "1733130031.3", 1, null);
        row(t2, 8, 5, "ANSWERED", "79161112202", "200", "PJSIP/trunk-00000003", "PJSIP/102-00000005", "1733130031.3", 2,
                recording(t2, "external-200-79161112202-1733130031.3.wav"));
        // 3: nobody answered the group
        Instant t3 = t0.plusSeconds(2);
        row(t3, 6, 0, "NO ANSWER", "79161112203", "200", "PJSIP/trunk-00000006", "PJSIP/101-00000007", "1733130061.6", 1, null);
        row(t3, 6, 0, "NO ANSWER", "79161112203", "200", "PJSIP/trunk-00000006", "PJSIP/102-00000008", "1733130061.6", 2, null);
        // 4: 101 called a client, who talked 8 s
        Instant t4 = t0.plusSeconds(3);
        row(t4, 9, 8, "ANSWERED", "101", "89161112204", "PJSIP/101-00000009", "PJSIP/trunk-0000000a", "1733130091.9", 1,
                recording(t4, "out-89161112204-101-1733130091.9.wav"));
        // 5: 101 was busy
        Instant t5 = t0.plusSeconds(4);
        row(t5, 1, 0, "BUSY", "79161112205", DID, "PJSIP/trunk-0000000b", "PJSIP/101-0000000c", "1733130121.11", 1, null);
        // the downtime lasts until the last of them ended a while ago
        Instant lastEnd = t0.plusSeconds(12);
        await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(lastEnd.plus(Reconciliation.SETTLE)));

        app = startAppliance();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> emu.state().calls().stream().filter(CallView::finished)
                    .count() == 5 && emu.state().calls().stream().filter(c -> c.duration() != null && c.duration() > 0)
                    .allMatch(c -> c.record() != null));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("in the CRM: " + summary() + "; outbox: " + app.get("/api/outbox").body()
                    + "; dead: " + app.get("/api/outbox/dead").body() + "; health: " + app.get("/health").body(), e);
        }

        CallView first = call("+79161112201");
        assertEquals(t0, first.startDate(), "registered with its real start (the record's local time, read as such)");
        assertEquals(7, first.duration());
        assertEquals("200", first.statusCode());
        assertEquals(2, first.finishUserId(), "101 talked");
        assertEquals(DID, first.lineNumber(), "the DID from FreePBX's did column");
        assertEquals("DID_74951234567", first.crmSource(), "the DID's lead source");
        assertNotNull(first.record(), "its recording, found under the monitor folder's day");

        CallView group = call("+79161112202");
        assertEquals(5, group.duration());
        assertEquals(3, group.finishUserId(), "102 answered");
        assertNotNull(group.record());

        CallView missed = call("+79161112203");
        assertEquals("304", missed.statusCode());
        assertEquals(4, missed.finishUserId(), "the route's default responsible");
        assertNull(missed.record());

        CallView outbound = call("+79161112204");
        assertEquals(1, outbound.type(), "outgoing");
        assertEquals(8, outbound.duration());
        assertEquals(2, outbound.finishUserId());

        assertEquals("486", call("+79161112205").statusCode(), "busy");
        assertTrue(app.get("/api/jobs").body().contains("5 registered (never seen)"), app.get("/api/jobs").body());

        // a restart reconciles again: nothing is registered twice
        app.close();
        app = startAppliance();
        // a freshly started appliance on a busy machine may let a request time out while it reconciles: ask again
        await().atMost(Duration.ofSeconds(120)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> app.get("/api/jobs").body().contains("5 known"));
        assertEquals(5, emu.state().calls().size(), "each call once");
    }

    private String summary() {
        return emu.state().calls().stream().map(c -> c.phoneNumber() + "/" + c.status() + "/" + c.duration() + "s/rec "
                + (c.record() != null)).toList().toString();
    }

    private CallView call(String number) {
        List<CallView> found = emu.state().calls().stream().filter(c -> number.equals(c.phoneNumber())).toList();
        assertEquals(1, found.size(), "one call from " + number + ": " + found);
        return found.getFirst();
    }
}
