package io.b24bridge.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.outbox.OutboxRetention;
import io.b24bridge.outbox.RecordingRetention;
import io.b24bridge.outbox.RecordingsDir;
import io.b24bridge.settings.SettingsRetention;
import io.b24bridge.store.Backups;
import io.b24bridge.store.Database;

/**
 * The daily {@code housekeeping} job: what {@code storage.retention} says is old goes — commands the box took, calls
 * that ended with nothing left to send, earlier settings versions, old backups, and (when set) the PBX's recordings
 * Bitrix24 took long ago. Each part on its own: one that fails
 * does not stop the others, and the job's error names it.
 */
public final class Housekeeping implements ScheduledJob.Work {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    private final Database db;
    private final ApplianceConfig.Storage storage;
    private final Map<String, RecordingsDir> recordings;
    private final Clock clock;

    /** @param recordings per PBX id, where this appliance reads its recordings */
    public Housekeeping(Database db, ApplianceConfig.Storage storage, Map<String, RecordingsDir> recordings,
                        Clock clock) {
        this.db = db;
        this.storage = storage;
        this.recordings = recordings;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Part {
        int run() throws Exception;
    }

    @Override
    public String run() throws Exception {
        Instant now = clock.instant();
        ApplianceConfig.Retention r = storage.retention();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        // recordings before the done commands that say they reached Bitrix24
        if (r.recordings().isPresent()) {
            part("recordings", () -> RecordingRetention.removeAttached(db, recordings,
                    now.minus(r.recordings().get())), done, failed);
        }
        // done commands first: a call is removed only once it has none left
        part("done commands", () -> OutboxRetention.pruneDone(db, now.minus(r.doneCommands())), done, failed);
        part("finished calls", () -> OutboxRetention.pruneFinishedCalls(db, now.minus(r.finishedCalls())), done,
                failed);
        part("settings versions", () -> SettingsRetention.prune(db, now.minus(r.settingsHistory())), done, failed);
        part("backups", () -> Backups.prune(storage.backupsDir(), now.minus(r.backups()),
                ApplianceConfig.Retention.KEEP_BACKUPS), done, failed);
        String line = "removed " + String.join(", ", done);
        if (!failed.isEmpty()) {
            throw new IllegalStateException(line + "; failed: " + String.join("; ", failed));
        }
        return line;
    }

    private static void part(String what, Part part, List<String> done, List<String> failed) {
        try {
            done.add(part.run() + " " + what);
        } catch (Exception e) {
            LOG.warning("housekeeping: removing old " + what + " failed: " + e.getMessage());
            failed.add(what + ": " + e.getMessage());
        }
    }
}
