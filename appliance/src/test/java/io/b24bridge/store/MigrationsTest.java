package io.b24bridge.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationOnceInOrder() {
        assertEquals(Migrations.SCHEMA.stream().map(Migration::version).toList(), Migrations.apply(db, Migrations.SCHEMA));
        assertEquals(latest(), Migrations.currentVersion(db));
        assertTrue(tableExists("SETTINGS_SECTION"));
    }

    @Test
    void runningAgainIsANoOp() {
        Migrations.apply(db, Migrations.SCHEMA);
        assertEquals(List.of(), Migrations.apply(db, Migrations.SCHEMA));
        db.close();
        db = Database.open(dir.resolve("db"));
        assertEquals(List.of(), Migrations.apply(db, Migrations.SCHEMA), "a restart applies nothing either");
        assertEquals(latest(), Migrations.currentVersion(db));
    }

    @Test
    void aFailingMigrationLeavesTheSchemaAsItWas() {
        List<Migration> withBroken = List.of(
                new Migration(1, "first", "migrations-test/V001__ok.sql"),
                new Migration(2, "broken", "migrations-test/V002__broken.sql"));
        MigrationException e = assertThrows(MigrationException.class, () -> Migrations.apply(db, withBroken));
        assertTrue(e.getMessage().contains("V2 (broken) failed at statement 2 of 2"), e.getMessage());
        assertTrue(e.getMessage().contains("unchanged"), e.getMessage());
        assertEquals(1, Migrations.currentVersion(db), "V1 stays applied, V2 is not recorded");
        assertTrue(tableExists("FIRST_TABLE"));
        assertFalse(tableExists("HALF_DONE"), "the first statement of the broken script was rolled back");
    }

    @Test
    void aScriptChangedAfterItWasAppliedIsRefused() {
        Migrations.apply(db, List.of(new Migration(1, "first", "migrations-test/V001__ok.sql")));
        MigrationException e = assertThrows(MigrationException.class,
                () -> Migrations.apply(db, List.of(new Migration(1, "first", "migrations-test/V001__changed.sql"))));
        assertTrue(e.getMessage().contains("changed after it was applied"), e.getMessage());
    }

    @Test
    void scriptsAreSplitAtSemicolonsEndingALine() {
        assertEquals(List.of("CREATE TABLE A (X INT)", "INSERT INTO A VALUES (1)"),
                Migrations.statements("-- comment\nCREATE TABLE A (X INT);\n\nINSERT INTO A\nVALUES (1);\n")
                        .stream().map(s -> s.replace('\n', ' ')).toList());
    }

    @Test
    void aBackupCanBeRestored() throws SQLException {
        Migrations.apply(db, Migrations.SCHEMA);
        execute("INSERT INTO SETTINGS_CHANGE (VERSION, CHANGED_AT, KIND, SECTIONS) VALUES (7, CURRENT_TIMESTAMP, 'PUT', 'x')");
        Path backup = db.backup(dir.resolve("backups"));
        execute("DELETE FROM SETTINGS_CHANGE");
        db.close();

        Database.restore(dir.resolve("db"), backup);
        db = Database.open(dir.resolve("db"));
        try (Connection c = db.connection();
             ResultSet rs = c.createStatement().executeQuery("SELECT VERSION FROM SETTINGS_CHANGE")) {
            assertTrue(rs.next(), "the row deleted after the backup is back");
            assertEquals(7, rs.getInt(1));
        }
    }

    @Test
    void aSecondProcessIsToldTheDatabaseIsInUse() throws Exception {
        // Derby locks a database per JVM; another JVM sees XSDB6, which we turn into a clear message
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), dir.resolve("db").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(3, p.waitFor(), out);
        assertTrue(out.contains("in use by another process"), out);
    }

    /** Run in a second JVM by the test above. */
    public static final class LockProbe {
        public static void main(String[] args) {
            try {
                Database.open(Path.of(args[0])).close();
                System.exit(0);
            } catch (DatabaseLockedException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    private static int latest() {
        return Migrations.SCHEMA.getLast().version();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connection()) {
            c.createStatement().execute(sql);
        }
    }

    private boolean tableExists(String name) {
        try (Connection c = db.connection(); ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
