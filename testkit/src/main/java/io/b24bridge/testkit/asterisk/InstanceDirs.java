package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The directories of one instance ({@code pbx} or {@code world}) inside the root, as its asterisk.conf
 * names them. They are the only paths the harness writes or deletes in the root. A chroot path that passed
 * through a symlink of the root ({@code /var/run -> /run} is one) would resolve, seen from the host,
 * outside the root: {@link #requireInsideRoot()} refuses that before anything is written.
 */
record InstanceDirs(Path root, String name) {

    /** asterisk.conf's astetcdir, astdbdir, astspooldir, astrundir, astlogdir, in the chroot. */
    List<String> chrootPaths() {
        return List.of(etcInChroot(), "/var/lib/asterisk-" + name, "/var/spool/asterisk-" + name,
                "/run/asterisk-" + name, "/var/log/asterisk-" + name);
    }

    String etcInChroot() {
        return "/etc/asterisk-" + name;
    }

    String confInChroot() {
        return etcInChroot() + "/asterisk.conf";
    }

    Path etc() {
        return host(etcInChroot());
    }

    Path spool() {
        return host("/var/spool/asterisk-" + name);
    }

    Path recordings() {
        return spool().resolve("monitor");
    }

    Path log() {
        return host("/var/log/asterisk-" + name);
    }

    Path messagesLog() {
        return log().resolve("messages.log");
    }

    Path consoleLog() {
        return log().resolve("console.out");
    }

    Path host(String chrootPath) {
        return root.resolve(chrootPath.substring(1));
    }

    /** Fails when a directory's host path leaves the root through a symlink. */
    void requireInsideRoot() throws IOException {
        for (String p : chrootPaths()) {
            Path current = root;
            for (Path part : Path.of(p.substring(1))) {
                current = current.resolve(part);
                if (Files.isSymbolicLink(current)) {
                    throw new IOException(current + " is a symlink: " + name + "'s directories must stay inside " + root);
                }
            }
        }
    }

    /** Empties and recreates every directory (config, astdb, spool, run, log) for a fresh run. */
    void recreate() throws IOException {
        requireInsideRoot();
        for (String p : chrootPaths()) {
            Path dir = host(p);
            deleteTree(dir);
            Files.createDirectories(dir);
        }
        Files.createDirectories(recordings());
        Files.createDirectories(cdrCsv()); // cdr_csv writes Master.csv here but does not create the folder
    }

    /** Where cdr_csv writes Master.csv (astlogdir/cdr-csv, as a Debian package creates it). */
    Path cdrCsv() {
        return log().resolve("cdr-csv");
    }

    /** Removes every directory of the instance (not the root's own files). */
    void delete() throws IOException {
        requireInsideRoot();
        for (String p : chrootPaths()) {
            deleteTree(host(p));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Mounts.anyAtOrUnder(dir)) {
            throw new IOException("refusing to delete " + dir + ": something is mounted there");
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
