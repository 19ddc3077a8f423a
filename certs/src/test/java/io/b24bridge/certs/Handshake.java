package io.b24bridge.certs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS exchange with client authentication between two JSSE endpoints, each built from a keystore and a
 * trust store the way the appliance and its peers use them: the server demands a client certificate and checks
 * it (chain, dates, extended key usage clientAuth); the client checks the server's chain and host name.
 */
final class Handshake {

    /** What happened: both sides' failures, if any. */
    record Outcome(String serverError, String clientError, String reply) {

        boolean ok() {
            return serverError == null && clientError == null && "ok".equals(reply);
        }

        @Override
        public String toString() {
            return "server: " + serverError + "; client: " + clientError + "; reply: " + reply;
        }
    }

    private Handshake() {
    }

    static Outcome run(Path serverKeyStore, Path serverTrust, Path clientKeyStore, Path clientTrust, char[] password,
                       String hostName) throws Exception {
        SSLContext server = context(serverKeyStore, serverTrust, password);
        SSLContext client = context(clientKeyStore, clientTrust, password);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(10_000);
            CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    OutputStream out = s.getOutputStream();
                    out.write("ok\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return "hello".equals(line) ? null : "unexpected request " + line;
                } catch (IOException e) {
                    return e.toString();
                }
            });
            String clientError = null;
            String reply = null;
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 10_000);
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, hostName,
                        ss.getLocalPort(), false)) {
                    s.setSoTimeout(10_000);
                    SSLParameters p = s.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS"); // host name checked as an HTTPS client does
                    s.setSSLParameters(p);
                    s.startHandshake();
                    OutputStream out = s.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // under TLS 1.3 a refused client certificate shows up here, on the first read
                    reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                }
            } catch (IOException e) {
                clientError = e.toString();
            }
            String serverError = serverSide.get(20, TimeUnit.SECONDS);
            return new Outcome(serverError, clientError, reply);
        }
    }

    private static SSLContext context(Path keyStore, Path trustStore, char[] password) throws GeneralSecurityException,
            IOException {
        KeyStore ks = Stores.open(keyStore, password);
        // SunX509 presents the key whatever its usage, so the peer's checks are what the test sees
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, password);
        KeyStore ts = Stores.open(trustStore, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
