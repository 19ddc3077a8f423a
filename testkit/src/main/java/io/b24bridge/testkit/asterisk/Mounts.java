package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What is mounted in this process's mount namespace (the host's, for the harness), from
 * /proc/self/mountinfo. The instances mount /proc and /dev in a private namespace of their own, so none of
 * those mounts should ever show here; the harness checks before deleting anything and after a stop.
 */
public final class Mounts {

    private Mounts() {
    }

    /** Mount points at or below {@code dir}. */
    public static List<Path> under(Path dir) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" "))
                .filter(f -> f.length > 4)
                .map(f -> Path.of(unescape(f[4])))
                .filter(p -> p.startsWith(base))
                .toList();
    }

    static boolean anyAtOrUnder(Path dir) throws IOException {
        return !under(dir).isEmpty();
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
