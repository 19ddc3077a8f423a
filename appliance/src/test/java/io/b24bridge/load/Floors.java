package io.b24bridge.load;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.b24bridge.TestTls;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;

/**
 * The floors the bench divides by, measured in the same run on the same machine: what the least possible client
 * pays for the same round trip, so that a busy machine slows the floor as much as the product.
 */
final class Floors {

    /** The webhook the minimal client registers through (seeded in the emulator by the bench). */
    static final String WEBHOOK = "benchfloor";

    private Floors() {
    }

    /**
     * A bare {@code telephony.externalcall.register}: one form POST from the JDK's HTTP client over warm mutual TLS
     * to the same emulator the appliance talks to, through an inbound webhook (no token, no outbox, no store).
     */
    static Stats register(BoxEmulator emu, DevPki.Files pki, int n) throws Exception {
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(TestTls.context(pki.trustStore(), pki.applianceClient(), pki.password()))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            URI uri = URI.create(emu.webhookUrl(1, WEBHOOK) + "/telephony.externalcall.register.json");
            for (int i = 0; i < Math.max(200, n / 5); i++) {
                register(http, uri, "7998" + String.format("%07d", i));
            }
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                register(http, uri, "7997" + String.format("%07d", i));
                nanos[i] = System.nanoTime() - t0;
            }
            return Stats.of(nanos);
        }
    }

    private static void register(HttpClient http, URI uri, String number) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("USER_ID=1&TYPE=2&CRM_CREATE=0&PHONE_NUMBER=" + number))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200 || !res.body().contains("CALL_ID")) {
            throw new IllegalStateException("the floor's register failed: " + res.statusCode() + " " + res.body());
        }
    }

    /**
     * A FastAGI-sized exchange with nothing behind it: connect over loopback, write a request of the size Asterisk
     * sends, read one answer line from a server that answers at once — what routing would cost with no decision.
     */
    static Stats tcpExchange(int n) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[4096];
                        int total = 0;
                        while (total < REQUEST.length) {
                            int r = in.read(buf);
                            if (r < 0) {
                                break;
                            }
                            total += r;
                        }
                        s.getOutputStream().write("200 result=0\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        // the bench closed the server
                    }
                }
            });
            long[] nanos = new long[n];
            for (int i = -Math.max(200, n / 5); i < n; i++) {
                long t0 = System.nanoTime();
                try (Socket s = new Socket("127.0.0.1", server.getLocalPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write(REQUEST);
                    out.flush();
                    while (s.getInputStream().read() != '\n') {
                        // up to the end of the answer line
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            return Stats.of(nanos);
        }
    }

    /** The size of the AGI environment Asterisk 22 sends (about 600 bytes). */
    private static final byte[] REQUEST = ("agi_network: yes\n".repeat(35) + "\n").getBytes(StandardCharsets.US_ASCII);
}
