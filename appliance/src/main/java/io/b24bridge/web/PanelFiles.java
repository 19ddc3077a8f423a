package io.b24bridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The control panel's own files, bundled in the jar under {@code /panel/} and served on the admin listener: one
 * page, one script, one style sheet, nothing fetched from elsewhere (the appliance lives in an air-gapped LAN). A
 * fixed list: no path from a request ever reaches the class path. The Content-Security-Policy lets the page load
 * only these files and talk only to this listener, so injected markup could neither run a script nor send data
 * out; the page is never framed (clickjacking).
 */
public final class PanelFiles implements HttpService {

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/panel.js", new String[] {"panel.js", "text/javascript; charset=utf-8"},
            "/panel-box.js", new String[] {"panel-box.js", "text/javascript; charset=utf-8"},
            "/panel-calls.js", new String[] {"panel-calls.js", "text/javascript; charset=utf-8"},
            "/panel.css", new String[] {"panel.css", "text/css; charset=utf-8"},
            "/favicon.ico", new String[] {"favicon.svg", "image/svg+xml"});

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
            + "data:; connect-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'";

    private final Map<String, byte[]> bodies;

    public PanelFiles() {
        this.bodies = new java.util.HashMap<>();
        FILES.forEach((path, f) -> bodies.put(path, read(f[0])));
    }

    @Override
    public void routing(HttpRules rules) {
        FILES.keySet().forEach(path -> rules.get(path, this::send));
    }

    private void send(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        res.status(Status.OK_200)
                .header(HeaderNames.CONTENT_TYPE, FILES.get(path)[1])
                // a new version of the appliance brings new files: the browser asks each time (tiny files, a LAN)
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .header(HeaderNames.create("Content-Security-Policy"), POLICY)
                .header(HeaderNames.create("X-Content-Type-Options"), "nosniff")
                .header(HeaderNames.create("X-Frame-Options"), "DENY")
                .header(HeaderNames.create("Referrer-Policy"), "no-referrer")
                .send(bodies.get(path));
    }

    private static byte[] read(String name) {
        try (InputStream in = PanelFiles.class.getResourceAsStream("/panel/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the panel's file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
