package io.b24bridge;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Identity;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.json.Json;
import io.b24bridge.store.Database;
import io.b24bridge.store.DatabaseLockedException;
import io.b24bridge.store.Migrations;
import io.b24bridge.store.StoreException;
import io.b24bridge.web.LocalAdmin;

/** The operators' database commands: {@code backup} and {@code restore}. */
final class StoreCommands {

    /** An online backup of a big database takes a while: the running appliance's answer is waited for long. */
    static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(10);

    private StoreCommands() {
    }

    /**
     * Backs the database up into {@code to} (default {@code storage.dir/backups}). Only one process can open
     * an embedded Derby database: when the appliance runs, it is asked over its admin listener to make the
     * backup itself; when it is stopped, the database is opened here.
     */
    static int backup(ApplianceConfig config, Optional<Path> to, PrintStream out) {
        Path backups = config.storage().dir().resolve("backups").toAbsolutePath().normalize();
        Path dir = to.orElse(backups).toAbsolutePath().normalize();
        Path made;
        try {
            Database db = Database.open(config.storage().databaseDir());
            try {
                made = db.backup(dir);
                audit(db, made);
            } finally {
                db.close();
            }
        } catch (DatabaseLockedException e) {
            // the running appliance writes only under storage.dir/backups; the copy moves on from there (as this
            // user, who may write where --to points)
            made = backupThroughRunningAppliance(config);
            if (!dir.equals(backups)) {
                made = moveInto(made.getParent(), dir).resolve(made.getFileName());
            }
        }
        out.println("backup written: " + made);
        out.println("restore with: b24bridge restore --config " + config.source() + " --from " + made);
        return 0;
    }

    /** Replaces the database with a backup. The appliance must be stopped. */
    static int restore(ApplianceConfig config, Path from, PrintStream out) {
        Path backupDb = from.toAbsolutePath();
        if (!Files.isRegularFile(backupDb.resolve("service.properties"))) {
            throw new StoreException("'" + from + "' is not a database backup (no service.properties in it); "
                    + "give the folder the backup command printed");
        }
        Database.restore(config.storage().databaseDir(), backupDb);
        out.println("database restored from " + backupDb);
        return 0;
    }

    /** A backup made with the database in hand is in its audit log too (when its schema has the log). */
    private static void audit(Database db, Path made) {
        if (Migrations.currentVersion(db) < 7) {
            return;
        }
        new AuditLog(db, Json.newMapper()).record("command-line:" + System.getProperty("user.name", "?"),
                Identity.Via.COMMAND_LINE, null, "store.backup", made.toString(), AuditLog.Outcome.OK, Map.of());
    }

    /** Moves a backup folder into {@code dir} (copied, when another file system holds it); returns its new place. */
    private static Path moveInto(Path folder, Path dir) {
        Path target = dir.resolve(folder.getFileName());
        try {
            Files.createDirectories(dir);
            try {
                Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | DirectoryNotEmptyException other) {
                try (var all = Files.walk(folder)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Files.copy(p, target.resolve(folder.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                try (var all = Files.walk(folder)) {
                    for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new StoreException("the backup was made in " + folder + " but could not be moved to " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path backupThroughRunningAppliance(ApplianceConfig config) {
        ApplianceConfig.Listener admin = config.adminListener();
        if (!LocalAdmin.hasCredential(config)) {
            throw new StoreException("the appliance runs, and this user cannot read its local tools' credential in "
                    + config.storage().dir().resolve("keys") + ": run the backup as root or as the service's user");
        }
        WebClient client = LocalAdmin.client(config, Duration.ofSeconds(10), BACKUP_TIMEOUT);
        ObjectMapper mapper = Json.newMapper();
        try (HttpClientResponse res = client.post("/api/store/backup")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{}".getBytes(StandardCharsets.UTF_8))) {
            JsonNode body = mapper.readTree(res.entity().as(byte[].class));
            if (res.status() != Status.OK_200) {
                throw new StoreException("the running appliance refused the backup: " + body.path("error").asText());
            }
            return Path.of(body.path("backup").asText());
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException("the running appliance answered the backup request unreadably: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StoreException("the database is in use, but the appliance's admin listener at "
                    + LocalAdmin.url(admin) + " does not answer: " + e.getMessage(), e);
        }
    }
}
