package io.b24bridge.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;


import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.tls.TlsMaterial;

/**
 * The Bitrix24 box, step by step, so the first broken step is the one reported: TCP connection, mutual TLS
 * (is the box's certificate trusted, does the box accept ours), the host name in the box's certificate, and
 * what the box accepts ({@link BoxAuthCheck}: its OAuth server, each method with our auth through {@link BoxClient},
 * the b24bridge module). When the appliance runs, it holds the database with the
 * application tokens: then the auth state is taken from its /health instead of calling ourselves.
 */
final class BoxCheck {

    private BoxCheck() {
    }

    static List<Finding> run(ApplianceConfig config, Optional<AdminProbe.Health> running) {
        if (config.bitrix24().isEmpty()) {
            return List.of(Finding.warn("bitrix24", "not configured: add the bitrix24 section (url, auth, tls) so the "
                    + "appliance reaches the box; see configuration.md"));
        }
        ApplianceConfig.Bitrix24 box = config.bitrix24().get();
        String host = box.url().getHost();
        int port = box.url().getPort() > 0 ? box.url().getPort() : 443;
        int timeout = (int) Math.max(500, box.connectTimeout().toMillis());
        List<Finding> out = new ArrayList<>();

        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeout);
            out.add(Finding.ok("bitrix24.connect", host + ":" + port + " answers (" + (System.nanoTime() - t0) / 1_000_000
                    + " ms)"));
        } catch (IOException e) {
            out.add(Finding.fail("bitrix24.connect", "cannot connect to " + host + ":" + port + " (" + AdminProbe.rootMessage(e)
                    + "): check bitrix24.url, DNS, routing and the firewall between the appliance and the box"));
            return out;
        }

        X509Certificate[] peer;
        try {
            peer = handshake(box, host, port, timeout, out);
        } catch (ConfigException e) {
            out.add(Finding.fail("bitrix24.tls", e.getMessage()));
            return out;
        }
        if (peer == null) {
            return out;
        }
        out.add(hostname(host, peer[0]));
        out.addAll(BoxAuthCheck.run(config, box, running));
        return out;
    }

    /** Mutual TLS without host-name check (that one is reported on its own); null when it failed. */
    private static X509Certificate[] handshake(ApplianceConfig.Bitrix24 box, String host, int port, int timeout,
                                               List<Finding> out) {
        SSLContext ctx = TlsMaterial.load(box.tls()).sslContext();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(host, port), timeout);
            s.setSoTimeout(timeout * 2);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            if (!isIpLiteral(host)) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            s.setSSLParameters(p);
            try {
                s.startHandshake();
            } catch (SSLHandshakeException e) {
                String m = AdminProbe.rootMessage(e);
                out.add(Finding.fail("bitrix24.tls", untrusted(e)
                        ? "the box's certificate is not trusted: it does not chain to a CA in bitrix24.tls.truststore ("
                        + m + "); add the CA that signed the box's (nginx's) certificate"
                        : "TLS handshake with the box failed (" + m + "): check the box's certificate and that it "
                        + "accepts the appliance's client certificate"));
                return null;
            }
            X509Certificate[] peer = (X509Certificate[]) s.getSession().getPeerCertificates();
            String protocol = s.getSession().getProtocol();
            // under TLS 1.3 the box's verdict on our certificate arrives with the first answer, not the handshake
            String status;
            try {
                OutputStream o = s.getOutputStream();
                o.write(("GET /rest/ HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                o.flush();
                InputStream in = s.getInputStream();
                // one read: the status line is all we need, and a keep-alive box would not close for readNBytes
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed without an answer");
                }
                String answer = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                status = answer.lines().findFirst().orElse("");
                if (answer.contains("SSL certificate") || answer.contains("SSL_CERTIFICATE")) {
                    out.add(Finding.fail("bitrix24.tls", "the box (its nginx) refused the appliance's client certificate ("
                            + status + "): its ssl_client_certificate must hold the CA that signed "
                            + box.tls().keystore()));
                    return null;
                }
            } catch (IOException e) {
                out.add(Finding.fail("bitrix24.tls", "the box closed the connection after the handshake ("
                        + AdminProbe.rootMessage(e) + "): it most likely refused the appliance's client certificate; "
                        + "its ssl_client_certificate must hold the CA that signed " + box.tls().keystore()));
                return null;
            }
            out.add(Finding.ok("bitrix24.tls", "mutual TLS works (" + protocol + "; the box accepted the client "
                    + "certificate and answered " + (status.isEmpty() ? "(nothing)" : status) + ")"));
            return peer;
        } catch (IOException e) {
            // under TLS 1.3 a refused client certificate shows as a broken pipe or reset as often as an alert
            out.add(Finding.fail("bitrix24.tls", "TLS connection to the box failed (" + AdminProbe.rootMessage(e)
                    + "): most likely the box refused the appliance's client certificate; its ssl_client_certificate "
                    + "must hold the CA that signed " + box.tls().keystore()));
            return null;
        }
    }

    /** Did the handshake fail because the box's certificate does not chain to a trusted CA? */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || (t.getMessage() != null && t.getMessage().contains("PKIX"))) {
                return true;
            }
        }
        return false;
    }

    /** Does the box's certificate name the host of bitrix24.url? (What HTTPS clients, ours included, demand.) */
    static Finding hostname(String host, X509Certificate cert) {
        List<String> names = new ArrayList<>();
        // an address is matched against the certificate's IP entries only, a name against its DNS entries only
        int wanted = isIpLiteral(host) ? 7 : 2;
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == wanted) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Finding.fail("bitrix24.hostname", "the box's certificate has unreadable alternative names");
        }
        for (String n : names) {
            if (matches(host, n)) {
                return Finding.ok("bitrix24.hostname", "the box's certificate names " + host);
            }
        }
        return Finding.fail("bitrix24.hostname", "the box's certificate names " + (names.isEmpty() ? "no "
                + (wanted == 7 ? "IP address" : "DNS name") : names) + ", not " + host
                + ": use one of those names in bitrix24.url, or have the certificate reissued with " + host);
    }

    static boolean matches(String host, String name) {
        String h = host.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (isIpLiteral(h) && isIpLiteral(n)) {
            try {
                return InetAddress.getByName(h).equals(InetAddress.getByName(n)); // literals: no name lookup
            } catch (IOException e) {
                return false;
            }
        }
        if (isIpLiteral(h) || isIpLiteral(n)) {
            return false;
        }
        if (n.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(n.substring(1));
        }
        return h.equals(n);
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("(\\d{1,3}\\.){3}\\d{1,3}") || s.contains(":");
    }
}
