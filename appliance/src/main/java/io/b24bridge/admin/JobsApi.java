package io.b24bridge.admin;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AuditLog;
import io.b24bridge.jobs.Jobs;

/**
 * The scheduled jobs for operators under {@code /api/jobs}: {@code GET /} each job's schedule, last run (when,
 * whether it succeeded, what it did or why it failed) and next run; {@code POST /{name}/run} runs one now (e.g. the
 * reconciliation after a PBX's records were fixed). Reading needs a viewer, running an administrator ({@link
 * AdminGuard}: GET reads, anything else changes); a run asked for is in the audit log.
 */
public final class JobsApi implements HttpService {

    private final Jobs jobs;
    private final AuditLog audit;
    private final JsonResponses json;

    public JobsApi(Jobs jobs, AuditLog audit, ObjectMapper mapper) {
        this.jobs = jobs;
        this.audit = audit;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/{name}/run", this::run);
    }

    private void list(ServerRequest req, ServerResponse res) {
        json.send(res, Status.OK_200, Map.of("running", jobs.isRunning(), "jobs", jobs.status()));
    }

    private void run(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        Caller c = Caller.required(req);
        if (!jobs.has(name)) {
            audit.record(c.identity(), c.address(), "jobs.run", name, AuditLog.Outcome.REFUSED,
                    Map.of("reason", "no such job"));
            json.error(res, Status.NOT_FOUND_404, "no job named " + name);
            return;
        }
        audit.record(c.identity(), c.address(), "jobs.run", name, AuditLog.Outcome.OK, Map.of());
        jobs.runSoon(name, Duration.ZERO);
        json.send(res, Status.ACCEPTED_202, Map.of("job", name, "run", "soon"));
    }
}
