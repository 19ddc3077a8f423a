package io.b24bridge.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.b24bridge.access.AccessException;
import io.b24bridge.access.Access;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Identity;
import io.b24bridge.access.Sessions;

/**
 * The panel's sign-in under {@code /api/session}: {@code POST /} with {@code {"name", "password"}} opens a session
 * (the cookie, and its CSRF token in the answer), {@code GET /} says who is signed in, {@code DELETE /} signs out,
 * {@code POST /password} changes one's own password. Failed sign-ins are slowed per name and per address (429 with
 * {@code Retry-After}) and every attempt is in the audit log.
 */
public final class SessionApi implements HttpService {

    private final Access access;
    private final JsonResponses json;

    public SessionApi(Access access, ObjectMapper mapper) {
        this.access = access;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::signIn)
                .get("/", this::whoAmI)
                .delete("/", this::signOut)
                .post("/password", this::password);
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        String name = JsonResponses.text(body.get(), "name");
        String password = JsonResponses.text(body.get(), "password");
        String address = Caller.address(req);
        Optional<Identity> who = check(name, password, address, res);
        if (who.isEmpty()) {
            return;
        }
        Sessions.Opened opened = access.sessions().open(who.get());
        access.audit().record(name, Identity.Via.PASSWORD, address, "login", null, AuditLog.Outcome.OK, Map.of());
        res.headers().addCookie(SetCookie.builder(Sessions.COOKIE, opened.cookie()).path("/").secure(true)
                .httpOnly(true).sameSite(SetCookie.SameSite.STRICT).build());
        json.send(res, Status.OK_200, describe(opened.session().identity(), Optional.of(opened.session())));
    }

    /**
     * The account when the password is its own, after the throttle and with the audit entry of a failure; empty
     * when the answer (401, 429, 400) was given here.
     */
    private Optional<Identity> check(String name, String password, String address, ServerResponse res) {
        if (name == null || password == null) {
            json.error(res, Status.BAD_REQUEST_400, "give name and password");
            return Optional.empty();
        }
        Optional<Duration> wait = access.throttle().wait(name, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            access.audit().record(known(name), Identity.Via.PASSWORD, address, "login", null,
                    AuditLog.Outcome.REFUSED, Map.of("reason", "throttled"));
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(seconds));
            json.error(res, Status.TOO_MANY_REQUESTS_429, "too many failed sign-ins: try again in " + seconds + " s");
            return Optional.empty();
        }
        Optional<Identity> who = access.accounts().verifyPassword(name, password.toCharArray());
        if (who.isEmpty()) {
            access.throttle().failed(name, address);
            access.audit().record(known(name), Identity.Via.PASSWORD, address, "login", null,
                    AuditLog.Outcome.REFUSED, Map.of("reason", "wrong name or password"));
            json.error(res, Status.UNAUTHORIZED_401, "wrong name or password");
            return Optional.empty();
        }
        access.throttle().succeeded(name, address);
        return who;
    }

    /** The name for the audit log: an account's, or "?" (what was typed may be a password typed in the wrong field). */
    private String known(String name) {
        return access.accounts().find(name).isPresent() ? name : "?";
    }

    private void whoAmI(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        json.send(res, Status.OK_200, describe(c.identity(), c.session()));
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        req.headers().cookies().first(Sessions.COOKIE).asOptional().ifPresent(access.sessions()::close);
        res.headers().clearCookie(SetCookie.builder(Sessions.COOKIE, "").path("/").secure(true).httpOnly(true)
                .sameSite(SetCookie.SameSite.STRICT).build());
        access.audit().record(c.identity(), c.address(), "logout", null, AuditLog.Outcome.OK, Map.of());
        json.send(res, Status.OK_200, Map.of("signedOut", c.identity().name()));
    }

    private void password(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        if (c.identity().via() == Identity.Via.LOCAL_TOOLS) {
            json.error(res, Status.BAD_REQUEST_400, "the local tools have no password: use b24bridge admin password");
            return;
        }
        String current = JsonResponses.text(body.get(), "current");
        String next = JsonResponses.text(body.get(), "new");
        if (check(c.identity().name(), current, c.address(), res).isEmpty()) {
            return;
        }
        if (next == null) {
            json.error(res, Status.BAD_REQUEST_400, "give the new password as \"new\"");
            return;
        }
        try {
            access.accounts().setPassword(c.identity().name(), next.toCharArray());
        } catch (AccessException e) {
            json.error(res, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        access.sessions().closeAll(c.identity().name());
        access.audit().record(c.identity(), c.address(), "account.password", c.identity().name(),
                AuditLog.Outcome.OK, Map.of());
        json.send(res, Status.OK_200, Map.of("changed", true, "note", "every session of the account was closed"));
    }

    private static Map<String, Object> describe(Identity who, Optional<Sessions.Session> session) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", who.name());
        m.put("role", who.role().key());
        m.put("via", who.via().name().toLowerCase(Locale.ROOT));
        session.ifPresent(s -> m.put("csrfToken", s.csrf()));
        return m;
    }
}
