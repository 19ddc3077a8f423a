package io.b24bridge.outbox;

import java.nio.file.Path;

/**
 * Where this appliance reads a PBX's recordings: {@code local} shows the PBX's folder {@code onPbx} (a mount, a
 * synced copy). A file outside {@code onPbx} is looked for by its name in {@code local}.
 */
public record RecordingsDir(Path local, Path onPbx) {

    Path localPath(Path pbxPath) {
        return pbxPath.startsWith(onPbx) ? local.resolve(onPbx.relativize(pbxPath))
                : local.resolve(pbxPath.getFileName());
    }
}
