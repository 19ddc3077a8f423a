package io.b24bridge.testkit.bitrix;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What each path of the emulator's two ports reaches: on the box's port the REST API ({@code /rest/}), the module's
 * token endpoint, the "behind the module" hand-over, the control API ({@code /_emulator/}) and the live page
 * ({@code /}); on the OAuth server's port its token endpoint alone (the box itself serves none: its path is a 404
 * there).
 */
final class BoxPaths {

    private final RestRouter router;
    private final ControlApi control;
    private final StatePage page = new StatePage();
    /** The module's token endpoint on a {@link Deployment#WITH_MODULE} box; null on the others. */
    private final ModuleTokenEndpoint moduleTokenEndpoint;
    /** "Behind the module": the served PHP module hands the box's own methods on here; null when not asked for. */
    private final BehindModule behind;
    /** REST and OAuth paths refuse a request without a client certificate (the page alone is open without one). */
    private final boolean restNeedsClientCert;

    BoxPaths(RestRouter router, ControlApi control, ModuleTokenEndpoint moduleTokenEndpoint, BehindModule behind,
             boolean restNeedsClientCert) {
        this.router = router;
        this.control = control;
        this.moduleTokenEndpoint = moduleTokenEndpoint;
        this.behind = behind;
        this.restNeedsClientCert = restNeedsClientCert;
    }

    /** The box's port. */
    void route(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (restNeedsClientCert && (path.startsWith("/rest/") || path.startsWith("/oauth/"))
                && req.remotePeer().tlsCertificates().filter(c -> c.length > 0).isEmpty()) {
            res.status(Status.FORBIDDEN_403).send("a client certificate is required");
            return;
        }
        if (moduleTokenEndpoint != null && path.equals(ConnectorModule.TOKEN_PATH)) {
            router.moduleToken(req, res, moduleTokenEndpoint);
        } else if (path.startsWith("/rest/")) {
            router.rest(req, res);
        } else if (behind != null && path.startsWith("/_behind/")) {
            behind.handle(req, res);
        } else if (path.startsWith("/_emulator/")) {
            control.handle(req, res);
        } else if (path.equals("/") || path.equals("/index.html")) {
            page.serve(res);
        } else {
            router.notFound(res);
        }
    }

    /** The OAuth server's port: its token endpoint. */
    void routeOauth(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.equals("/oauth/token") || path.equals("/oauth/token/")) {
            router.token(req, res);
        } else {
            router.notFound(res);
        }
    }
}
