package io.b24bridge.admin;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.Access;
import io.b24bridge.access.AccessException;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Identity;
import io.b24bridge.access.Role;

/**
 * The first administrator, under {@code /api/setup}: {@code GET /} tells whether one is still to be made;
 * {@code POST /} with {@code {"setupToken", "name", "password"}} makes it, once, with the one-time token the appliance
 * wrote to {@code storage.dir/keys/setup-token} (see {@code access.FirstRun}). After that this route refuses.
 */
public final class SetupApi implements HttpService {

    private final Access access;
    private final JsonResponses json;

    public SetupApi(Access access, ObjectMapper mapper) {
        this.access = access;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> json.send(res, Status.OK_200, Map.of("needed", access.firstRun().needed())))
                .post("/", this::setup);
    }

    private void setup(ServerRequest req, ServerResponse res) {
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        String address = Caller.address(req);
        String token = JsonResponses.text(body.get(), "setupToken");
        String name = JsonResponses.text(body.get(), "name");
        String password = JsonResponses.text(body.get(), "password");
        if (access.throttle().wait("(setup)", address).isPresent() || !access.firstRun().accepts(token)) {
            access.throttle().failed("(setup)", address);
            access.audit().record("?", Identity.Via.NONE, address, "setup", null, AuditLog.Outcome.REFUSED,
                    Map.of("reason", access.firstRun().needed() ? "wrong setup token" : "an administrator exists"));
            json.error(res, Status.FORBIDDEN_403, access.firstRun().needed() ? "wrong setup token (the one in "
                    + "storage.dir/keys/setup-token on the appliance)" : "the first administrator exists: sign in");
            return;
        }
        if (password == null) {
            json.error(res, Status.BAD_REQUEST_400, "give name and password");
            return;
        }
        try {
            access.accounts().create(name, Role.ADMIN, password.toCharArray());
        } catch (AccessException e) {
            json.error(res, e.kind() == AccessException.Kind.CONFLICT ? Status.CONFLICT_409 : Status.BAD_REQUEST_400,
                    e.getMessage());
            return;
        }
        access.firstRun().forget();
        access.audit().record(name, Identity.Via.PASSWORD, address, "setup", name, AuditLog.Outcome.OK,
                Map.of("role", Role.ADMIN.key()));
        json.send(res, Status.CREATED_201, Map.of("name", name, "role", Role.ADMIN.key()));
    }
}
