package io.b24bridge.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.store.Database;
import io.b24bridge.store.StoreException;

/**
 * {@code POST /api/store/backup}: an online backup of the running appliance's database (the {@code backup}
 * command calls this when the appliance runs, since only one process can open the database).
 * Body (optional): {@code {"dir": "/var/backups/b24bridge"}}; default: {@code storage.dir/backups}.
 */
public final class StoreApi implements HttpService {

    private final Database db;
    private final Path defaultBackupDir;
    private final ObjectMapper mapper;
    private final JsonResponses json;

    public StoreApi(Database db, Path defaultBackupDir, ObjectMapper mapper) {
        this.db = db;
        this.defaultBackupDir = defaultBackupDir;
        this.mapper = mapper;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/backup", this::backup);
    }

    private void backup(ServerRequest req, ServerResponse res) {
        Path dir = defaultBackupDir;
        byte[] body = req.content().as(byte[].class);
        if (body.length > 0) {
            try {
                JsonNode node = mapper.readTree(body);
                if (node.hasNonNull("dir")) {
                    dir = Path.of(node.get("dir").asText());
                }
            } catch (IOException e) {
                json.error(res, Status.BAD_REQUEST_400, "the body must be JSON like {\"dir\": \"/path\"}");
                return;
            }
        }
        if (!dir.isAbsolute()) {
            json.error(res, Status.BAD_REQUEST_400, "dir must be an absolute path on the appliance");
            return;
        }
        try {
            Path made = db.backup(dir);
            json.send(res, Status.OK_200, Map.of("backup", made.toString()));
        } catch (StoreException e) {
            json.error(res, Status.INTERNAL_SERVER_ERROR_500, e.getMessage());
        }
    }
}
