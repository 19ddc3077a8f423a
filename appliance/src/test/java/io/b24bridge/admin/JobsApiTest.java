package io.b24bridge.admin;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.TestAppliance;
import io.b24bridge.access.Role;
import io.b24bridge.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs behind the admin roles: a viewer sees each job's last and next run, only an administrator runs one now,
 * and the audit log says who did.
 */
class JobsApiTest {

    private static final ObjectMapper MAPPER = Json.newMapper();

    @TempDir
    static Path dir;
    static TestAppliance app;

    @BeforeAll
    static void start() {
        app = TestAppliance.start(dir);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aViewerSeesTheJobsAndOnlyAnAdministratorRunsOne() throws Exception {
        app.appliance().access().accounts().create("olga", Role.VIEWER, "olga-reads-only-1".toCharArray());
        String viewer = "Bearer " + app.appliance().access().tokens().issue("olga", "dashboard").secret();

        HttpResponse<String> list = app.anonymous(HttpRequest.newBuilder(app.adminUri("/api/jobs"))
                .header("Authorization", viewer).GET());
        assertEquals(200, list.statusCode(), list.body());
        JsonNode jobs = MAPPER.readTree(list.body()).path("jobs");
        assertTrue(jobs.toString().contains("housekeeping") && jobs.toString().contains("certificates"), list.body());

        HttpResponse<String> refused = app.anonymous(HttpRequest.newBuilder(app.adminUri("/api/jobs/housekeeping/run"))
                .header("Authorization", viewer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, refused.statusCode(), refused.body());

        HttpResponse<String> run = app.post("/api/jobs/housekeeping/run", "");
        assertEquals(202, run.statusCode(), run.body());
        assertEquals(404, app.post("/api/jobs/no-such-job/run", "").statusCode());

        JsonNode audit = MAPPER.readTree(app.get("/api/audit?action=jobs.run").body()).path("entries");
        assertTrue(audit.toString().contains("housekeeping") && audit.toString().contains("no-such-job"),
                audit.toString());
    }
}
