package io.b24bridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs of a test's own, to be filled to the last byte by another file and freed again: the disk-full tests'
 * storage. Mounting needs root (CI runs as root); a test that cannot mount FAILS, never skips — its disk full would
 * otherwise go unproven.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path path;
    private final Path filler;

    private SmallDisk(Path path) {
        this.path = path;
        this.filler = path.resolve("filler");
    }

    /** Mounts a tmpfs of {@code size} ("16m") on {@code at} (created), for root only ({@code mode=0700}). */
    public static SmallDisk mount(Path at, String size) throws IOException, InterruptedException {
        Files.createDirectories(at);
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", at.toString()),
                "mount a " + size + " tmpfs on " + at + " (the test needs root)");
        return new SmallDisk(at);
    }

    public Path path() {
        return path;
    }

    /** Writes zeros into a file of its own until the file system says it is full; returns how much went in. */
    public long fill() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long n = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                n += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return n;
    }

    /** Deletes what {@link #fill()} wrote: the space is there again. */
    public void free() throws IOException {
        Files.delete(filler);
    }

    /** Unmounts it, lazily: a file still open (a killed JVM's, Derby's) must not leave the mount behind. */
    @Override
    public void close() throws IOException, InterruptedException {
        assertEquals(0, run("umount", "-l", path.toString()), "unmount " + path);
    }

    /** Runs a command; its exit code (-1 when it did not end in 30 s), its output printed when it failed. */
    public static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + out);
        }
        return p.exitValue();
    }
}
