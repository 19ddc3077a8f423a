package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.calls.CallKey;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;

/**
 * Removes the PBX's recording files that reached Bitrix24 long ago ({@code storage.retention.recordings}): only a
 * file whose attach command the box took (DONE) before the cut-off, read where the appliance reads that PBX's
 * recordings, inside that folder with every link resolved. A recording never sent, still waiting, or dead stays;
 * so does one the PBX named outside its folder (never sent either).
 */
public final class RecordingRetention {

    private static final Logger LOG = Logger.getLogger(RecordingRetention.class.getName());

    private RecordingRetention() {
    }

    /** A file named by a done attach, with the recordings folder it must stay inside. */
    private record Due(Path file, RecordingsDir dir) {
    }

    /**
     * Deletes the recordings attached before {@code cutoff}; returns how many files went. Runs before the done
     * commands that name them are pruned (the configuration keeps them longer).
     *
     * @param dirs per PBX id, where this appliance reads its recordings
     */
    public static int removeAttached(Database db, Map<String, RecordingsDir> dirs, Instant cutoff) throws IOException {
        StoredJson json = new StoredJson(Json.newMapper());
        List<Due> due = db.inTransaction(c -> {
            List<Due> files = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT CALL_KEY, PAYLOAD FROM OUTBOX "
                    + "WHERE KIND = 'ATTACH_RECORD' AND STATE = 'DONE' AND DONE_AT < ?")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CallKey call = CallKey.parse(rs.getString(1));
                        RecordingsDir dir = dirs.get(call.pbx());
                        String named = json.read(rs.getString(2), StoredCommand.AttachRecording.class).recordingFile();
                        Optional<Path> file = dir == null ? Optional.empty() : dir.localPath(named);
                        file.ifPresent(f -> files.add(new Due(f, dir)));
                    }
                }
            }
            return files;
        });
        int removed = 0;
        for (Due d : due) {
            Path file = d.file();
            if (!Files.exists(file) || !d.dir().inside(file)) {
                continue; // removed before, or a link out of the folder: never ours to delete
            }
            Files.delete(file);
            removed++;
            LOG.fine(() -> "recording " + file + " removed: in Bitrix24 since before " + cutoff);
        }
        return removed;
    }
}
