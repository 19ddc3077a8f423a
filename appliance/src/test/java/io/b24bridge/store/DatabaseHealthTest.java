package io.b24bridge.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.health.Health;
import io.b24bridge.health.PartHealth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F16: a database that still answers reads while its storage folder takes no writes (a disk remounted read-only, a
 * lost mount) records no call: /health must not say UP, and the appliance as a whole is DOWN (503).
 */
class DatabaseHealthTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aStorageFolderThatTakesWritesIsUpAndLeavesNothingBehind() throws Exception {
        PartHealth h = new DatabaseHealth(db).check();
        assertEquals(PartHealth.State.UP, h.state(), h.detail());
        assertFalse(Files.exists(dir.resolve(WriteProbe.NAME)), "the probe file is removed");
    }

    @Test
    void aStorageFolderThatTakesNoWritesIsDownAndTheApplianceWithIt() throws Exception {
        // a path under a regular file: no write can succeed there, whoever the test runs as (root ignores modes)
        Path notAFolder = Files.writeString(dir.resolve("lost-mount"), "x");
        DatabaseHealth part = new DatabaseHealth(db, notAFolder);

        PartHealth h = part.check();
        assertEquals(PartHealth.State.DOWN, h.state());
        assertTrue(h.detail().contains("does not take writes"), h.detail());
        assertTrue(h.facts().containsKey("writeError"), h.facts().toString());
        assertEquals(PartHealth.State.DOWN, new Health(List.of(part), "test").report().status(), "critical: 503");
    }

    @Test
    void aDatabaseThatDoesNotAnswerOnAFolderThatTakesNoWritesSaysWhy() throws Exception {
        // Derby shuts the database down when its disk fills: the detail names the folder's write error, not only
        // derby.log (which could not be written either)
        Path notAFolder = Files.writeString(dir.resolve("full-disk"), "x");
        DatabaseHealth part = new DatabaseHealth(db, notAFolder);
        db.close();

        PartHealth h = part.check();

        assertEquals(PartHealth.State.DOWN, h.state());
        assertTrue(h.detail().startsWith("the database does not answer: the storage folder")
                && h.detail().contains("does not take writes"), h.detail());
        assertTrue(h.facts().containsKey("writeError"), h.facts().toString());
    }
}
