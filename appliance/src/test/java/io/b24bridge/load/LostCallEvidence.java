package io.b24bridge.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.b24bridge.store.Database;

/**
 * What a fault scenario that lost calls prints about them, so that its failure can be understood from the build's
 * output alone: the appliance's threads while the calls are stuck (virtual ones too: the outbox's workers and batch
 * rounds are virtual), then — the appliance killed (nothing it does on a stop changes the rows), its database opened here — every command still waiting in the
 * outbox and the lost calls' rows of the call journal, and the appliance's log lines that name them.
 */
final class LostCallEvidence {

    private static final int MAX_LINES = 60;

    private LostCallEvidence() {
    }

    /** The Linkedids of a ledger's lost calls (its {@code lost} says "Linkedid (transcript, why)"). */
    static List<String> linkedids(CrmLedger l) {
        return l.lost().stream().map(s -> s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s).toList();
    }

    /**
     * The appliance's thread dump ({@code jcmd Thread.dump_to_file}, virtual threads included), kept whole in
     * {@code target/<name>-threads.txt}; returned: the threads of the outbox and the call engine.
     */
    static String threads(long pid, String name) {
        Path file = Path.of("target", name + "-threads.txt").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "Thread.dump_to_file", "-format=text", file.toString())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || !Files.exists(file)) {
                p.destroyForcibly();
                return "(no thread dump: " + said.strip() + ")";
            }
            List<String> kept = new ArrayList<>();
            for (String block : Files.readString(file).split("\n\n")) {
                if (block.contains("outbox") || block.contains("CallEngine") || block.contains("Reconciliation")) {
                    kept.add(block.strip());
                }
            }
            return "threads of the outbox and the engine (all in " + file + "):\n" + String.join("\n\n", kept);
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /**
     * Every command still waiting in the outbox (and any dead letter), and the call journal's rows of the lost calls,
     * read from the stopped appliance's database.
     */
    static String rows(Path databaseDir, String pbx, List<String> linkedids) {
        Database db = Database.open(databaseDir);
        try (Connection c = db.connection()) {
            StringBuilder out = new StringBuilder("outbox rows not done (all calls):\n");
            query(c, "SELECT ID, CALL_KEY, SEQ, KIND, STATE, ATTEMPTS, NEXT_AT, CREATED_AT, LAST_ERROR FROM OUTBOX "
                    + "WHERE STATE <> 'DONE' ORDER BY CALL_KEY, SEQ", List.of(), out);
            for (String linkedid : linkedids) {
                String key = pbx + ":" + linkedid;
                out.append("call ").append(key).append(": its outbox rows\n");
                query(c, "SELECT ID, SEQ, KIND, STATE, ATTEMPTS, NEXT_AT, CREATED_AT, DONE_AT, LAST_ERROR FROM OUTBOX "
                        + "WHERE CALL_KEY = ? ORDER BY SEQ", List.of(key), out);
                out.append("call ").append(key).append(": its journal row\n");
                query(c, "SELECT * FROM CRM_CALLS WHERE CALL_KEY = ?", List.of(key), out);
            }
            return out.toString();
        } catch (SQLException | RuntimeException e) {
            return "(the database could not be read: " + e + ")";
        } finally {
            db.close();
        }
    }

    private static void query(Connection c, String sql, List<String> params, StringBuilder out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            ps.setMaxRows(MAX_LINES);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder("  ");
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String v = String.valueOf(rs.getString(i)); // a CLOB as its text
                        row.append(md.getColumnName(i)).append('=')
                                .append(v.length() > 300 ? v.substring(0, 300) + "…" : v).append(' ');
                    }
                    out.append(row.toString().stripTrailing()).append('\n');
                }
            }
        }
    }

    /**
     * The PBX's Master.csv rows of the calls, with their line numbers out of all (a row written after the
     * reconciliation's last run was never read by it), or that there are none.
     */
    static String cdrRows(Path masterCsv, List<String> linkedids) {
        List<String> all;
        try {
            all = Files.readAllLines(masterCsv);
        } catch (IOException e) {
            return "(Master.csv could not be read: " + e + ")\n";
        }
        StringBuilder out = new StringBuilder();
        for (String linkedid : linkedids) {
            out.append("Master.csv rows of ").append(linkedid).append(" (of ").append(all.size()).append("):\n");
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).contains("\"" + linkedid + "\"")) {
                    out.append("  line ").append(i + 1).append(": ").append(all.get(i)).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The appliance's log lines that name one of the calls (the last {@value #MAX_LINES} per call). */
    static String logLines(String output, List<String> linkedids) {
        StringBuilder out = new StringBuilder();
        for (String linkedid : linkedids) {
            List<String> lines = output.lines().filter(l -> l.contains(linkedid)).toList();
            out.append("log lines of ").append(linkedid).append(" (").append(lines.size()).append("):\n");
            lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size())
                    .forEach(l -> out.append("  ").append(l).append('\n'));
        }
        return out.toString();
    }
}
