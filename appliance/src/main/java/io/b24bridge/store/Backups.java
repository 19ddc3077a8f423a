package io.b24bridge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Old backups in the appliance's own backups folder ({@link Database#backup}'s {@code b24bridge-backup-*} folders):
 * removed once older than the cut-off, the newest few always kept. Folders elsewhere are the operator's.
 */
public final class Backups {

    static final String PREFIX = "b24bridge-backup-";

    private Backups() {
    }

    /** @return how many backups were removed */
    public static int prune(Path dir, Instant cutoff, int keepNewest) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> backups;
        try (Stream<Path> all = Files.list(dir)) {
            // the name holds the time (yyyyMMdd-HHmmss): newest first by name
            backups = all.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p)
                    && !Files.isSymbolicLink(p)).sorted(Comparator.comparing(Path::toString).reversed()).toList();
        }
        int removed = 0;
        for (Path b : backups.subList(Math.min(keepNewest, backups.size()), backups.size())) {
            if (Files.getLastModifiedTime(b).toInstant().isBefore(cutoff)) {
                deleteTree(b);
                removed++;
            }
        }
        return removed;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
