package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /}: one HTML page that polls {@code /_emulator/state} every second. No external resources. */
final class StatePage {

    private final byte[] html;

    StatePage() {
        try (InputStream in = StatePage.class.getResourceAsStream("state.html")) {
            if (in == null) {
                throw new IllegalStateException("state.html is missing from the testkit jar");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void serve(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(html);
    }
}
