package io.b24bridge.admin;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.store.Database;
import io.b24bridge.store.StoreException;

/**
 * {@code POST /api/store/backup}: an online backup of the running appliance's database (the {@code backup} command
 * calls this when the appliance runs, since only one process can open the database). It writes only under
 * {@code storage.dir/backups} — a sub-folder may be named ({@code {"dir": "weekly"}} or an absolute path inside it),
 * never a folder elsewhere — with the files 0600 and folders 0700, at most once a {@link #PAUSE}, and is in the audit
 * log.
 */
public final class StoreApi implements HttpService {

    /** A whole copy of the database per call: not a thing to repeat in a loop (the disk fills). */
    static final Duration PAUSE = Duration.ofMinutes(1);

    private final Database db;
    private final Path backups;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonResponses json;
    private Instant last;

    public StoreApi(Database db, Path backups, AuditLog audit, Clock clock, ObjectMapper mapper) {
        this.db = db;
        this.backups = backups.toAbsolutePath().normalize();
        this.audit = audit;
        this.clock = clock;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/backup", this::backup);
    }

    private void backup(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        String named = JsonResponses.text(body.get(), "dir");
        Path dir = named == null ? backups : backups.resolve(named).normalize();
        if (!dir.startsWith(backups)) {
            audit.record(c.identity(), c.address(), "store.backup", named, AuditLog.Outcome.REFUSED,
                    Map.of("reason", "outside the backups folder"));
            json.error(res, Status.BAD_REQUEST_400, "backups are written only under " + backups + " (give a "
                    + "sub-folder of it, or nothing)");
            return;
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (last != null && now.isBefore(last.plus(PAUSE))) {
                long wait = Math.max(1, Duration.between(now, last.plus(PAUSE)).toSeconds());
                res.header(HeaderNames.RETRY_AFTER, String.valueOf(wait));
                json.error(res, Status.TOO_MANY_REQUESTS_429, "a backup was made " + Duration.between(last, now)
                        .toSeconds() + " s ago: the next one in " + wait + " s");
                return;
            }
            last = now;
        }
        try {
            Path made = db.backup(dir);
            audit.record(c.identity(), c.address(), "store.backup", made.toString(), AuditLog.Outcome.OK, Map.of());
            json.send(res, Status.OK_200, Map.of("backup", made.toString()));
        } catch (StoreException e) {
            audit.record(c.identity(), c.address(), "store.backup", dir.toString(), AuditLog.Outcome.FAILED,
                    Map.of("error", e.getMessage()));
            json.error(res, Status.INTERNAL_SERVER_ERROR_500, e.getMessage());
        }
    }
}
