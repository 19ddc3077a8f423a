package io.b24bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Derby on a full disk (docs/operations.md, "Disk full"): a write that finds no room for Derby's log shuts the
 * database down (XSLA0), and the engine boots it again at the next connection — read-only when its disk is still
 * full, and read-only for good. The appliance's {@link Database} reopens it once the disk takes writes again: no
 * restart, nothing committed lost. On a small tmpfs of its own; needs root (CI runs as root) and fails, never
 * skips, when it cannot mount.
 */
class DatabaseDiskFullTest {

    @TempDir
    static Path dir;
    private static SmallDisk disk;

    @BeforeAll
    static void mount() throws Exception {
        disk = SmallDisk.mount(dir.resolve("disk"), "16m");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aDatabaseBootedReadOnlyOnAFullDiskTakesWritesAgainOnceSpaceIsFreed() throws Exception {
        Database db = Database.open(disk.path().resolve("db"));
        try {
            db.inTransaction(c -> c.createStatement().executeUpdate(
                    "CREATE TABLE calls (id INT PRIMARY KEY, note VARCHAR(1000))"));
            for (int i = 0; i < 200; i++) {
                insert(db, i);
            }

            // what Derby does itself when its log cannot be flushed on a full disk (XSLA0): it shuts the database
            // down (freeing its lock file's page: here, before the disk fills, so that no page is left for it), and
            // the next connection boots it again on a disk that is still full
            try {
                DriverManager.getConnection("jdbc:derby:" + db.dir().toAbsolutePath() + ";shutdown=true").close();
            } catch (SQLException e) {
                assertEquals("08006", e.getSQLState(), e::getMessage);
            }
            disk.fill();
            assertEquals(200, count(db), "reads go on while the disk is full");
            StoreException refused = assertThrows(StoreException.class, () -> insert(db, 200));
            assertTrue(refused.getMessage().contains("read-only"), refused::getMessage);

            disk.free();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean stored = false;
            while (!stored) { // one try a second (Database.REOPEN_EVERY_NANOS): the caller retries, as the owners do
                try {
                    insert(db, 200);
                    stored = true;
                } catch (StoreException stillReadOnly) {
                    assertTrue(System.nanoTime() < end, () -> "still refused 30 s after the disk was freed: "
                            + stillReadOnly.getMessage());
                    Thread.sleep(100);
                }
            }
            assertEquals(201, count(db), "every row committed before, and the one after");
        } finally {
            db.close();
        }
    }

    private static void insert(Database db, int id) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO calls VALUES (?, ?)")) {
                ps.setInt(1, id);
                ps.setString(2, "x".repeat(1000));
                return ps.executeUpdate();
            }
        });
    }

    private static int count(Database db) {
        return db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM calls")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
