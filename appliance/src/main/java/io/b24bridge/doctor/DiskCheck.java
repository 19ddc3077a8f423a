package io.b24bridge.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space under {@code storage.dir}. Derby stops writing on a full disk and the appliance then stops
 * recording calls; /health already reports the database DEGRADED below 512 MB.
 */
final class DiskCheck {

    static final long WARN_BELOW = 1024L * 1024 * 1024;
    static final long FAIL_BELOW = 512L * 1024 * 1024;

    private DiskCheck() {
    }

    static Finding check(Path storageDir, long warnBelow, long failBelow) {
        Path p = storageDir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return Finding.fail("disk", "no existing folder above " + storageDir);
        }
        try {
            long free = Files.getFileStore(p).getUsableSpace();
            String text = free / (1024 * 1024) + " MB free under " + p
                    + (p.equals(storageDir.toAbsolutePath()) ? "" : " (storage.dir " + storageDir + " does not exist yet: made at first start)");
            if (free < failBelow) {
                return Finding.fail("disk", text + ": below " + failBelow / (1024 * 1024)
                        + " MB the database stops writing; free space (old backups in <storage.dir>/backups?)");
            }
            if (free < warnBelow) {
                return Finding.warn("disk", text + ": getting low; free space or move storage.dir");
            }
            return Finding.ok("disk", text);
        } catch (IOException e) {
            return Finding.fail("disk", "free space under " + p + " cannot be read: " + e.getMessage());
        }
    }
}
