package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where this appliance reads a PBX's recordings: {@code local} shows the PBX's folder {@code onPbx} (a mount, a
 * synced copy; the same folder when the appliance runs on the PBX). A file outside {@code onPbx} is looked for by
 * its name in {@code local}.
 *
 * <p>The path comes from the PBX's events (MixMonitor's file name), which whoever controls a channel's variables
 * can set: it is taken only when it stays inside the recordings folder once {@code ..} and links are resolved, and
 * names a recording ({@link #EXTENSIONS}). Otherwise any file the service may read — its OAuth client secret —
 * would be uploaded to the CRM as the call's recording.
 */
public record RecordingsDir(Path local, Path onPbx) {

    /** The sound files MixMonitor writes that Bitrix24 plays. */
    static final Set<String> EXTENSIONS = Set.of("wav", "mp3", "ogg", "gsm");

    public RecordingsDir {
        local = local.toAbsolutePath().normalize();
        onPbx = onPbx.normalize();
    }

    /**
     * Where the recording the PBX names is read, or empty when the name leads out of the recordings folder or is
     * not a recording.
     */
    public Optional<Path> localPath(String pbxPath) {
        Path named = Path.of(pbxPath).normalize();
        Path file = (named.isAbsolute() && named.startsWith(onPbx) ? local.resolve(onPbx.relativize(named))
                : local.resolve(String.valueOf(named.getFileName()))).normalize();
        if (!file.startsWith(local) || file.equals(local) || !recording(file)) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /**
     * Whether {@code file}, with every link resolved, is a regular file inside the recordings folder (a link in the
     * folder may not lead out of it). Asked when the file is read: it may not exist yet when the path is named.
     */
    public boolean inside(Path file) throws IOException {
        Path real = file.toRealPath();
        return real.startsWith(local.toRealPath()) && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean recording(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
