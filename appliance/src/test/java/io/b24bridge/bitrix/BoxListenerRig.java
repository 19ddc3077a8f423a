package io.b24bridge.bitrix;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.b24bridge.TestAppliance;
import io.b24bridge.TestTls;

/**
 * The appliance with a Bitrix24 box configured whose URL points nowhere (the box itself is not needed), and a client
 * holding the box's certificate: what the box POSTs to {@code /bitrix24/events}, over the real mutual-TLS listener.
 */
final class BoxListenerRig implements AutoCloseable {

    private final TestAppliance app;
    private final HttpClient box;

    private BoxListenerRig(TestAppliance app) {
        this.app = app;
        this.box = HttpClient.newBuilder()
                .sslContext(TestTls.context(app.pki().trustStore(), app.pki().boxClient(), app.pki().password()))
                .build();
    }

    static BoxListenerRig start(Path dir) {
        return new BoxListenerRig(TestAppliance.start(dir, TestAppliance.bitrix24Section("https://127.0.0.1:9")));
    }

    TestAppliance app() {
        return app;
    }

    /** POSTs a form as the box does. */
    HttpResponse<String> post(String form) throws Exception {
        return post(HttpRequest.BodyPublishers.ofString(form));
    }

    HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return box.send(HttpRequest.newBuilder(app.boxUri("/bitrix24/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(body).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        box.close();
        app.close();
    }
}
