package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.certs.DevPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The box's port with mutual TLS: only clients with a certificate from the configured CA get in (stack notes:
 * under TLS 1.3 a refusal shows as certificate_required or a broken pipe, so "the request failed" is asserted).
 */
class ClientCertificateTest {

    @TempDir
    static Path dir;

    /** A REST call (profile) with a valid token: only the TLS layer decides. */
    private static int status(BoxEmulator emu, HttpClient client) throws Exception {
        String token = emu.issueTokens(1).accessToken();
        return client.send(HttpRequest.newBuilder(java.net.URI.create(emu.baseUrl() + "/rest/profile.json?auth=" + token))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void withClientCertificatesRequiredOnlyTheCasClientsAreServed() throws Exception {
        try (TestBox box = TestBox.start(dir)) {
            DevPki.Files pki = box.pki;
            try (HttpClient appliance = TestBox.client(pki, pki.applianceClient());
                 HttpClient anonymous = TestBox.client(pki, null);
                 HttpClient intruder = TestBox.client(pki, DevPki.foreignClient(dir.resolve("foreign"), pki.password()))) {
                assertEquals(200, status(box.emu, appliance));
                assertThrows(IOException.class, () -> status(box.emu, anonymous), "no certificate");
                assertThrows(IOException.class, () -> status(box.emu, intruder), "a certificate from another CA");
            }
            assertEquals(1, box.emu.requests().count(), "refused handshakes never reach the REST layer");
        }
    }

    @Test
    void theSandboxPageOpensInABrowserWhileTheRestStillNeedsACertificate() throws Exception {
        try (TestBox box = TestBox.start(dir, b -> b.requireClientCert(true).pageWithoutClientCert(true));
             HttpClient browser = TestBox.client(box.pki, null);
             HttpClient appliance = TestBox.client(box.pki, box.pki.applianceClient())) {
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(java.net.URI.create(box.emu.baseUrl() + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals(403, status(box.emu, browser), "the box's REST refuses a client without a certificate");
            assertEquals(200, status(box.emu, appliance));
        }
    }

    @Test
    void withoutTheRequirementAClientWithoutCertificateIsServed() throws Exception {
        try (TestBox box = TestBox.start(dir, b -> b.requireClientCert(false));
             HttpClient anonymous = TestBox.client(box.pki, null)) {
            assertEquals(200, status(box.emu, anonymous));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheBoxsCaRefusesTheBox() throws Exception {
        try (TestBox box = TestBox.start(dir, b -> b.requireClientCert(false))) {
            DevPki.Files other = DevPki.ensure(dir.resolve("other-pki"), java.util.List.of("127.0.0.1"));
            try (HttpClient stranger = TestBox.client(other, null)) {
                assertThrows(IOException.class, () -> status(box.emu, stranger));
            }
        }
    }
}
