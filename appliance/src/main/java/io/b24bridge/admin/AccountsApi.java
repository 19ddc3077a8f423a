package io.b24bridge.admin;

import java.util.LinkedHashMap;
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
import io.b24bridge.access.Accounts;
import io.b24bridge.access.ApiTokens;
import io.b24bridge.access.AuditLog;
import io.b24bridge.access.Role;

/**
 * Accounts and their API tokens under {@code /api/accounts} (administrators only):
 * <ul>
 *   <li>{@code GET /}, {@code GET /{name}} — accounts (never a hash);</li>
 *   <li>{@code POST /} {@code {"name", "role", "password"?, "certificateSubject"?}} — a new account;</li>
 *   <li>{@code PUT /{name}} {@code {"role"?, "password"?, "certificateSubject"?, "disabled"?}} — a change; the
 *       account's sessions end;</li>
 *   <li>{@code DELETE /{name}} — gone, with its tokens and sessions (never the last administrator);</li>
 *   <li>{@code GET /{name}/tokens}, {@code POST /{name}/tokens} {@code {"name"}} (the token is in this answer
 *       only), {@code DELETE /{name}/tokens/{id}}.</li>
 * </ul>
 * Every change is in the audit log, without the password or the token.
 */
public final class AccountsApi implements HttpService {

    private final Access access;
    private final JsonResponses json;

    public AccountsApi(Access access, ObjectMapper mapper) {
        this.access = access;
        this.json = new JsonResponses(mapper);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> json.send(res, Status.OK_200,
                        access.accounts().list().stream().map(AccountsApi::view).toList()))
                .post("/", this::create)
                .get("/{name}/tokens", this::tokens)
                .post("/{name}/tokens", this::issue)
                .delete("/{name}/tokens/{id}", this::revoke)
                .get("/{name}", this::one)
                .put("/{name}", this::change)
                .delete("/{name}", this::delete);
    }

    private void one(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        Optional<Accounts.Account> a = access.accounts().find(name);
        if (a.isEmpty()) {
            json.error(res, Status.NOT_FOUND_404, "no account named '" + name + "'");
            return;
        }
        json.send(res, Status.OK_200, view(a.get()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        String name = JsonResponses.text(body.get(), "name");
        String password = JsonResponses.text(body.get(), "password");
        String subject = JsonResponses.text(body.get(), "certificateSubject");
        Optional<Role> role = Role.of(String.valueOf(JsonResponses.text(body.get(), "role")));
        if (role.isEmpty()) {
            json.error(res, Status.BAD_REQUEST_400, "role must be admin or viewer");
            return;
        }
        if (password == null && subject == null) {
            json.error(res, Status.BAD_REQUEST_400, "give a password, or a certificateSubject for an account that "
                    + "signs in by client certificate (API tokens can be made for either)");
            return;
        }
        run(res, () -> {
            access.accounts().create(name, role.get(), password == null ? null : password.toCharArray());
            Accounts.Account a = subject == null ? access.accounts().find(name).orElseThrow()
                    : access.accounts().change(name, null, subject, null);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("role", role.get().key());
            detail.put("password", password != null);
            a.certificateSubject().ifPresent(s -> detail.put("certificateSubject", s));
            access.audit().record(c.identity(), c.address(), "account.create", name, AuditLog.Outcome.OK, detail);
            json.send(res, Status.CREATED_201, view(a));
        });
    }

    private void change(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        String name = req.path().pathParameters().get("name");
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        Role role = null;
        if (b.hasNonNull("role")) {
            Optional<Role> r = Role.of(b.get("role").asText());
            if (r.isEmpty()) {
                json.error(res, Status.BAD_REQUEST_400, "role must be admin or viewer");
                return;
            }
            role = r.get();
        }
        Role newRole = role;
        String subject = b.has("certificateSubject") ? b.get("certificateSubject").asText("") : null;
        Boolean disabled = b.hasNonNull("disabled") ? b.get("disabled").asBoolean() : null;
        String password = JsonResponses.text(b, "password");
        run(res, () -> {
            Accounts.Account before = access.accounts().find(name).orElseThrow(
                    () -> new AccessException(AccessException.Kind.NOT_FOUND, "no account named '" + name + "'"));
            if (password != null) {
                access.accounts().setPassword(name, password.toCharArray());
            }
            Accounts.Account after = access.accounts().change(name, newRole, subject, disabled);
            access.sessions().closeAll(name);
            Map<String, Object> changed = new LinkedHashMap<>();
            if (before.role() != after.role()) {
                changed.put("role", Map.of("from", before.role().key(), "to", after.role().key()));
            }
            if (!before.certificateSubject().equals(after.certificateSubject())) {
                changed.put("certificateSubject", Map.of("from", before.certificateSubject().orElse(""),
                        "to", after.certificateSubject().orElse("")));
            }
            if (before.disabled() != after.disabled()) {
                changed.put("disabled", after.disabled());
            }
            if (password != null) {
                changed.put("password", "changed");
            }
            access.audit().record(c.identity(), c.address(), "account.change", name, AuditLog.Outcome.OK, changed);
            json.send(res, Status.OK_200, view(after));
        });
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        String name = req.path().pathParameters().get("name");
        run(res, () -> {
            access.accounts().delete(name);
            access.sessions().closeAll(name);
            access.audit().record(c.identity(), c.address(), "account.delete", name, AuditLog.Outcome.OK, Map.of());
            json.send(res, Status.OK_200, Map.of("deleted", name));
        });
    }

    private void tokens(ServerRequest req, ServerResponse res) {
        json.send(res, Status.OK_200, access.tokens().list(req.path().pathParameters().get("name")));
    }

    private void issue(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        String account = req.path().pathParameters().get("name");
        Optional<JsonNode> body = json.object(req, res);
        if (body.isEmpty()) {
            return;
        }
        run(res, () -> {
            ApiTokens.Issued t = access.tokens().issue(account, JsonResponses.text(body.get(), "name"));
            access.audit().record(c.identity(), c.address(), "token.create", account, AuditLog.Outcome.OK,
                    Map.of("id", t.token().id(), "name", t.token().name()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", t.token().id());
            out.put("account", account);
            out.put("name", t.token().name());
            out.put("token", t.secret());
            out.put("note", "the token is shown this once: keep it where the script reads it (a file only its "
                    + "user reads)");
            json.send(res, Status.CREATED_201, out);
        });
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Caller c = Caller.required(req);
        String account = req.path().pathParameters().get("name");
        String id = req.path().pathParameters().get("id");
        if (!access.tokens().revoke(account, id)) {
            json.error(res, Status.NOT_FOUND_404, "no token " + id + " of '" + account + "'");
            return;
        }
        access.audit().record(c.identity(), c.address(), "token.revoke", account, AuditLog.Outcome.OK,
                Map.of("id", id));
        json.send(res, Status.OK_200, Map.of("revoked", id));
    }

    private void run(ServerResponse res, Runnable action) {
        try {
            action.run();
        } catch (AccessException e) {
            json.error(res, switch (e.kind()) {
                case INVALID -> Status.BAD_REQUEST_400;
                case NOT_FOUND -> Status.NOT_FOUND_404;
                case CONFLICT -> Status.CONFLICT_409;
            }, e.getMessage());
        }
    }

    private static Map<String, Object> view(Accounts.Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("role", a.role().key());
        m.put("password", a.hasPassword());
        m.put("certificateSubject", a.certificateSubject().orElse(null));
        m.put("disabled", a.disabled());
        m.put("createdAt", a.createdAt().toString());
        m.put("changedAt", a.changedAt().toString());
        return m;
    }
}
