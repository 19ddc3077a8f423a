package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One pair per machine: the ports and the instances' directories are fixed, so a second JVM (another
 * module's tests, a hand-started pair) waits here for the first to finish. An OS file lock, so it is
 * released even when a JVM dies.
 */
final class RootLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code wait}; null when another process still holds the root by then. */
    static RootLock acquire(Path root, Duration wait) throws IOException, InterruptedException {
        Path file = root.resolve("run/b24bridge-harness.lock");
        if (Files.isSymbolicLink(root.resolve("run"))) {
            throw new IOException(root.resolve("run") + " is a symlink; expected the root's own /run");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new RootLock(channel, lock);
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        channel.close();
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
