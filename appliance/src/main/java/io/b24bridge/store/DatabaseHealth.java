package io.b24bridge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The database part of {@code /health}: answering or not, whether the storage folder takes writes (F16: a disk
 * remounted read-only or full stops the outbox while reads still work), schema version, free disk there.
 */
public final class DatabaseHealth implements HealthPart {

    /** Below this much free space the database is reported DEGRADED: Derby stops writing on a full disk. */
    private static final long LOW_DISK_BYTES = 512L * 1024 * 1024;

    private final Database db;
    /** Where writes are tried: the storage folder, which holds the database. */
    private final Path writeDir;
    /**
     * The last write probe, reused for {@link #PROBE_EVERY}: /health answers anyone (the state only), and each probe
     * forces a write to disk — a flood of requests must not become a flood of fsyncs.
     */
    private volatile Probe lastProbe;

    static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private record Probe(Instant at, Optional<String> failure) {
    }

    public DatabaseHealth(Database db) {
        this(db, db.dir().toAbsolutePath().getParent());
    }

    DatabaseHealth(Database db, Path writeDir) {
        this.db = db;
        this.writeDir = writeDir;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean critical() {
        return true;
    }

    @Override
    public PartHealth check() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("path", db.dir().toString());
        long free = -1;
        try {
            free = Files.getFileStore(db.dir()).getUsableSpace();
            facts.put("freeDiskMb", free / (1024 * 1024));
        } catch (IOException e) {
            facts.put("freeDiskMb", "unknown");
        }
        Optional<String> writeFails;
        if (!db.ping()) {
            // why, when the folder says it: Derby shuts a database down when its disk fills, and "see derby.log"
            // sent the operator to a file that could not be written either
            writeFails = probe();
            writeFails.ifPresent(w -> facts.put("writeError", w));
            return PartHealth.down("the database does not answer" + writeFails.map(w -> ": the storage folder "
                    + writeDir + " does not take writes (" + w + "); free space, or check the mount (read-only?)")
                    .orElse("; see derby.log in the storage folder"), facts);
        }
        writeFails = probe();
        if (writeFails.isPresent()) {
            facts.put("writeError", writeFails.get());
            return PartHealth.down("the storage folder " + writeDir + " does not take writes (" + writeFails.get()
                    + "): calls are not recorded; free space, or check the mount (read-only?)", facts);
        }
        facts.put("schemaVersion", Migrations.currentVersion(db));
        if (free >= 0 && free < LOW_DISK_BYTES) {
            return new PartHealth(PartHealth.State.DEGRADED, "less than 512 MB free under the storage folder: "
                    + "free space or calls will stop being recorded", facts);
        }
        return PartHealth.up("answering", facts);
    }

    private Optional<String> probe() {
        Probe p = lastProbe;
        Instant now = Instant.now();
        if (p == null || p.at().isBefore(now.minus(PROBE_EVERY))) {
            p = new Probe(now, WriteProbe.check(writeDir));
            lastProbe = p;
        }
        return p.failure();
    }
}
