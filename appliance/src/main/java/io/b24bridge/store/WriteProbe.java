package io.b24bridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Whether the storage folder takes writes right now (F16): free space alone does not tell a file system remounted
 * read-only, a full quota or a lost mount. Writes a small file there, forces it to disk and removes it.
 */
final class WriteProbe {

    static final String NAME = ".b24bridge-write-probe";
    private static final int SIZE = 4096;

    private WriteProbe() {
    }

    /** @return empty when the write went to disk, otherwise why it did not */
    static Optional<String> check(Path dir) {
        Path probe = dir.resolve(NAME);
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the write's own failure (or success) is what is reported
            }
        }
        return Optional.empty();
    }
}
