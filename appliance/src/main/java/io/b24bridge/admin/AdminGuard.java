package io.b24bridge.admin;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import io.b24bridge.access.Access;
import io.b24bridge.access.Identity;
import io.b24bridge.access.Role;
import io.b24bridge.access.Sessions;

/**
 * The door of the admin listener, in front of every route. It establishes who calls — an API token
 * ({@code Authorization: Bearer}), a panel session (cookie), or a client certificate: the local tools' own, or one
 * from the admin CA whose subject an account names — and lets a route run only for a caller whose role covers it:
 * reading ({@code GET}) needs a viewer, anything else an administrator; accounts and the audit log need an
 * administrator to read too. Only {@code /health} (which then tells UP or DOWN and nothing more), the login and the
 * first-run setup are open.
 *
 * <p>A change (any method but GET and HEAD) must also be JSON (or carry no body at all), else 415, and must not come
 * from another site: an {@code Origin} other than this listener's, or {@code Sec-Fetch-Site} other than
 * {@code same-origin}/{@code none}, is a 403. A change through a panel session must echo the session's CSRF token in
 * {@code X-CSRF-Token}. So a page elsewhere cannot make a logged-in browser change anything: it can neither send
 * JSON without a preflight nor read the token.
 */
public final class AdminGuard implements Filter {

    private final Access access;
    private final ObjectMapper mapper;

    public AdminGuard(Access access, ObjectMapper mapper) {
        this.access = access;
        this.mapper = mapper;
    }

    /** What a route needs. */
    enum Need { NOBODY, VIEWER, ADMIN }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        Method method = req.prologue().method();
        boolean change = !method.equals(Method.GET) && !method.equals(Method.HEAD) && !method.equals(Method.OPTIONS);
        Optional<Sessions.Session> session = Optional.empty();
        Optional<Identity> who = bearer(req);
        if (who.isEmpty()) {
            session = req.headers().cookies().first(Sessions.COOKIE).asOptional().flatMap(access.sessions()::find);
            who = session.map(Sessions.Session::identity);
        }
        if (who.isEmpty()) {
            who = certificate(req);
        }
        String address = Caller.address(req);
        if (who.isPresent()) {
            req.context().register(new Caller(who.get(), address, session));
        }
        Need need = need(method, path);
        if (change) {
            Optional<String> refused = foreign(req, need == Need.NOBODY ? Optional.empty() : session);
            if (refused.isPresent()) {
                deny(res, refused.get().startsWith("415") ? Status.UNSUPPORTED_MEDIA_TYPE_415 : Status.FORBIDDEN_403,
                        refused.get().substring(4));
                return;
            }
        }
        if (need != Need.NOBODY) {
            if (who.isEmpty()) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"b24bridge\"");
                deny(res, Status.UNAUTHORIZED_401, "sign in: an API token (Authorization: Bearer), a panel session, "
                        + "or a client certificate an account names");
                return;
            }
            if (!who.get().may(need == Need.ADMIN ? Role.ADMIN : Role.VIEWER)) {
                deny(res, Status.FORBIDDEN_403, "'" + who.get().name() + "' is a " + who.get().role().key()
                        + ": this needs an administrator");
                return;
            }
        }
        chain.proceed();
    }

    /** The role a route needs: reading is a viewer's, the rest an administrator's; some routes are open. */
    static Need need(Method method, String path) {
        boolean read = method.equals(Method.GET) || method.equals(Method.HEAD);
        if (path.equals("/health") || path.equals("/health/")) {
            return Need.NOBODY; // says UP/DOWN only to whoever is not signed in (HealthService)
        }
        if (path.equals("/api/session") && method.equals(Method.POST) || path.startsWith("/api/setup")) {
            return Need.NOBODY; // the login and the first administrator: proven by their body
        }
        if (path.startsWith("/api/accounts") || path.startsWith("/api/audit")) {
            return Need.ADMIN;
        }
        if (path.startsWith("/api/session")) {
            return Need.VIEWER; // one's own session and password
        }
        if (path.startsWith("/api") || path.startsWith("/metrics")) {
            return read ? Need.VIEWER : Need.ADMIN;
        }
        return read ? Need.NOBODY : Need.ADMIN; // the panel's own files (a later version) are not secret
    }

    /**
     * Why a change is refused before anything runs, as "415 …" or "403 …"; empty when it may go on. The CSRF token
     * is asked only of changes made through a session (a token or a certificate is not sent by a browser on its own).
     */
    private static Optional<String> foreign(RoutingRequest req, Optional<Sessions.Session> session) {
        Optional<String> type = req.headers().first(HeaderNames.CONTENT_TYPE);
        boolean body = req.headers().contentLength().orElse(0) > 0
                || req.headers().first(HeaderNames.TRANSFER_ENCODING).isPresent();
        if ((type.isPresent() || body) && !type.map(AdminGuard::json).orElse(false)) {
            return Optional.of("415 changes take JSON only (Content-Type: application/json)");
        }
        Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            return Optional.of("403 a change from another site (Sec-Fetch-Site: " + site.get() + ") is refused");
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (origin.isPresent() && (host.isEmpty()
                || !origin.get().equalsIgnoreCase("https://" + host.get()))) {
            return Optional.of("403 a change from another origin (" + origin.get() + ") is refused");
        }
        if (session.isPresent() && !Sessions.csrfMatches(session.get(),
                req.headers().first(HeaderNames.create(Sessions.CSRF_HEADER)).orElse(null))) {
            return Optional.of("403 a change through a panel session must carry its " + Sessions.CSRF_HEADER);
        }
        return Optional.empty();
    }

    private static boolean json(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT).strip();
        return t.equals("application/json") || t.startsWith("application/json;");
    }

    private Optional<Identity> bearer(RoutingRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .flatMap(h -> access.tokens().verify(h.substring(7).strip()));
    }

    private Optional<Identity> certificate(RoutingRequest req) {
        Optional<Certificate[]> certs = req.remotePeer().tlsCertificates();
        if (certs.isEmpty() || certs.get().length == 0 || !(certs.get()[0] instanceof X509Certificate cert)) {
            return Optional.empty();
        }
        if (access.localTools().is(cert)) {
            return Optional.of(Identity.localTools());
        }
        return access.accounts().byCertificate(cert.getSubjectX500Principal());
    }

    private void deny(RoutingResponse res, Status status, String message) {
        try {
            res.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(mapper.writeValueAsBytes(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
