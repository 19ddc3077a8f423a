package io.b24bridge.pbx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway MariaDB (Debian's {@code mariadb-server}) for a test: its data under a temporary folder, its own
 * socket there and a free TCP port on 127.0.0.1, started by the test and stopped with it. A machine without
 * MariaDB makes the test fail, never skip (CI installs it; see box-module/serve/mariadb.sh for the same by shell).
 * Holds FreePBX's CDR database: {@link #createFreePbxCdr} makes {@code asteriskcdrdb.cdr} in FreePBX's shape and a
 * read-only user, as a FreePBX machine has them.
 */
public final class MariaDbServer implements AutoCloseable {

    /** The CDR user's password (the test's own throwaway database). */
    public static final String CDR_PASSWORD = "cdr-reader-secret";
    private static final String ADMIN_PASSWORD = "test-admin-secret";

    /**
     * FreePBX 16/17's {@code asteriskcdrdb.cdr}: Asterisk's columns, the new ones of Asterisk 1.8 (peeraccount,
     * linkedid, sequence) and FreePBX's own (did, recordingfile, cnum, cnam, outbound_cnum, outbound_cnam, dst_cnam);
     * cf. IssabelFoundation/firstboot compat-dbscripts/01-asteriskcdrdb.sql for the FreePBX-derived base.
     */
    static final String FREEPBX_CDR = """
            CREATE TABLE cdr (
              calldate datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
              clid varchar(80) NOT NULL DEFAULT '', src varchar(80) NOT NULL DEFAULT '',
              dst varchar(80) NOT NULL DEFAULT '', dcontext varchar(80) NOT NULL DEFAULT '',
              channel varchar(80) NOT NULL DEFAULT '', dstchannel varchar(80) NOT NULL DEFAULT '',
              lastapp varchar(80) NOT NULL DEFAULT '', lastdata varchar(80) NOT NULL DEFAULT '',
              duration int(11) NOT NULL DEFAULT 0, billsec int(11) NOT NULL DEFAULT 0,
              disposition varchar(45) NOT NULL DEFAULT '', amaflags int(11) NOT NULL DEFAULT 0,
              accountcode varchar(20) NOT NULL DEFAULT '', uniqueid varchar(32) NOT NULL DEFAULT '',
              userfield varchar(255) NOT NULL DEFAULT '', did varchar(50) NOT NULL DEFAULT '',
              recordingfile varchar(255) NOT NULL DEFAULT '', cnum varchar(80) NOT NULL DEFAULT '',
              cnam varchar(80) NOT NULL DEFAULT '', outbound_cnum varchar(80) NOT NULL DEFAULT '',
              outbound_cnam varchar(80) NOT NULL DEFAULT '', dst_cnam varchar(80) NOT NULL DEFAULT '',
              linkedid varchar(32) NOT NULL DEFAULT '', peeraccount varchar(80) NOT NULL DEFAULT '',
              sequence int(11) NOT NULL DEFAULT 0,
              KEY calldate (calldate), KEY dst (dst), KEY accountcode (accountcode), KEY uniqueid (uniqueid),
              KEY did (did), KEY linkedid (linkedid)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

    private final Path dir;
    private final Process process;
    private final int port;

    private MariaDbServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Installs a fresh data folder under {@code dir} and starts the server; fails when it does not come up. */
    public static MariaDbServer start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String user = System.getProperty("user.name");
        run(dir.resolve("install.log"), List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--user=" + user, "--auth-root-authentication-method=normal", "--skip-test-db"));
        int port = freePort();
        Process p = new ProcessBuilder("mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("mysql.sock"), "--port=" + port, "--bind-address=127.0.0.1",
                "--user=" + user, "--pid-file=" + dir.resolve("mariadb.pid"), "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=16M", "--skip-name-resolve", "--log-error=" + dir.resolve("mariadb.log"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.out").toFile()).start();
        MariaDbServer server = new MariaDbServer(dir, p, port);
        // 120 s for a loaded CI machine; a server that died is given up on at once (p.isAlive below)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        // the superuser exists only on the socket: the test's own administrator is made there, for TCP
        List<String> setup = List.of("mariadb", "--no-defaults", "-S", dir.resolve("mysql.sock").toString(), "-uroot",
                "-e", "CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '" + ADMIN_PASSWORD + "'; "
                        + "GRANT ALL ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION");
        while (true) {
            Process cli = new ProcessBuilder(setup).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("setup.log").toFile()).start();
            if (cli.waitFor(30, TimeUnit.SECONDS) && cli.exitValue() == 0) {
                return server;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("MariaDB did not come up: " + Files.readString(dir.resolve("setup.log"))
                        + "; its log: " + (Files.exists(dir.resolve("mariadb.log"))
                        ? Files.readString(dir.resolve("mariadb.log")) : "-"));
            }
            Thread.sleep(100);
        }
    }

    private static void run(Path log, List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.getFirst() + " cannot be run (install Debian's mariadb-server): "
                    + e.getMessage(), e);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.getFirst() + " failed: " + Files.readString(log));
        }
    }

    /** The test's administrator (every right), over TCP: setting up, writing the PBX's rows. */
    public Connection root() throws SQLException {
        return DriverManager.getConnection(url(""), "admin", ADMIN_PASSWORD);
    }

    /** The JDBC URL of a database over TCP, as the appliance reaches a FreePBX machine's. */
    public String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** {@code asteriskcdrdb.cdr} in FreePBX's shape and the read-only user {@code cdr} ({@link #CDR_PASSWORD}). */
    public void createFreePbxCdr() throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE asteriskcdrdb");
            s.execute("USE asteriskcdrdb");
            s.execute(FREEPBX_CDR);
            s.execute("CREATE USER 'cdr'@'127.0.0.1' IDENTIFIED BY '" + CDR_PASSWORD + "'");
            s.execute("GRANT SELECT ON asteriskcdrdb.cdr TO 'cdr'@'127.0.0.1'");
        }
    }

    private static int freePort() throws IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
