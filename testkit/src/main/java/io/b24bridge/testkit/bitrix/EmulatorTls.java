package io.b24bridge.testkit.bitrix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;

/**
 * The box's TLS identities from PKCS#12 files (like the development PKI's {@code box-server.p12},
 * {@code box-client.p12}, {@code trust.p12}): the server key for its HTTPS port, the CA(s) it trusts for client
 * certificates and for the handlers it calls, and the client key it presents when it POSTs events.
 * (The same job as the appliance's TlsMaterial, written again here: the testkit does not depend on the appliance.)
 */
public final class EmulatorTls {

    private record Material(PrivateKey key, List<X509Certificate> chain) {
    }

    private final Material server;
    private final Material client;
    private final List<X509Certificate> trust;

    private EmulatorTls(Material server, Material client, List<X509Certificate> trust) {
        this.server = server;
        this.client = client;
        this.trust = trust;
    }

    /**
     * @param serverKeystore the box's server key and chain (one key entry)
     * @param password       the password of every file given
     * @param truststore     CA certificates for client certificates and outgoing HTTPS, or null (JDK defaults
     *                       outgoing; no client certificates can be verified)
     * @param clientKeystore the key the box presents when it POSTs events, or null (none presented)
     */
    public static EmulatorTls fromPkcs12(Path serverKeystore, char[] password, Path truststore, Path clientKeystore) {
        Material server = material(serverKeystore, password);
        Material client = clientKeystore == null ? null : material(clientKeystore, password);
        List<X509Certificate> trust = truststore == null ? List.of() : certificates(truststore, password);
        return new EmulatorTls(server, client, trust);
    }

    /** Helidon's server TLS: TLS 1.3/1.2, client certificates required or not asked for. */
    Tls server(boolean requireClientCert) {
        return server(requireClientCert ? TlsClientAuth.REQUIRED : TlsClientAuth.NONE);
    }

    /** Helidon's server TLS with the given client-certificate policy (OPTIONAL: asked for, checked per path). */
    Tls server(TlsClientAuth clientAuth) {
        if (clientAuth != TlsClientAuth.NONE && trust.isEmpty()) {
            throw new IllegalArgumentException("a client certificate can only be required with a truststore");
        }
        io.helidon.common.tls.TlsConfig.Builder tls = Tls.builder()
                .privateKey(server.key())
                .privateKeyCertChain(server.chain())
                .enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                // Helidon would apply the client-side host check to the server socket, where the JDK then refuses
                // every client certificate (stack notes); clients check host names, servers do not
                .endpointIdentificationAlgorithm("NONE")
                .clientAuth(clientAuth);
        if (!trust.isEmpty()) {
            tls.trust(trust);
        }
        return tls.build();
    }

    /** The box's outgoing TLS (RECORD_URL downloads): its client certificate, the configured CA. */
    SSLContext client() {
        return context(true);
    }

    /**
     * Outgoing TLS that presents no certificate and trusts the configured CA: Bitrix's cloud queue, which trusts
     * public CAs; in tests the development CA stands in for them.
     */
    SSLContext trustOnly() {
        return context(false);
    }

    private SSLContext context(boolean identity) {
        try {
            KeyManagerFactory kmf = null;
            if (identity && client != null) {
                char[] none = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", client.key(), none, client.chain().toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trust.isEmpty()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate c : trust) {
                    ts.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the box's client TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    /**
     * The subject (RFC 2253) of the certificate of the one key in a PKCS#12 file: what a box administrator enters on
     * the b24bridge module's options page for the appliance's client certificate.
     */
    public static String subjectOf(Path keystore, char[] password) {
        return material(keystore, password).chain().getFirst().getSubjectX500Principal().getName();
    }

    /**
     * A client context from PKCS#12 files: trusting {@code truststore}'s CAs and, when {@code keystore} is given,
     * presenting its key.
     */
    public static SSLContext clientContext(Path truststore, Path keystore, char[] password) {
        EmulatorTls tls = new EmulatorTls(null, keystore == null ? null : material(keystore, password),
                certificates(truststore, password));
        return tls.context(keystore != null);
    }

    /** The default client context for a plain-HTTP emulator (no identity, JDK trust). */
    static SSLContext defaultClient() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore open(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore '" + file + "' cannot be opened: wrong password or not "
                    + "PKCS#12 (" + e.getMessage() + ")", e);
        }
    }

    private static Material material(Path file, char[] password) {
        KeyStore ks = open(file, password);
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException("keystore '" + file + "' must hold exactly one key, holds "
                        + keys.size());
            }
            Key key = ks.getKey(keys.getFirst(), password);
            if (!(key instanceof PrivateKey pk)) {
                throw new IllegalArgumentException("keystore '" + file + "' holds no private key");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ks.getCertificateChain(keys.getFirst())) {
                chain.add((X509Certificate) c);
            }
            return new Material(pk, List.copyOf(chain));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore '" + file + "': the key cannot be read (" + e.getMessage()
                    + ")", e);
        }
    }

    private static List<X509Certificate> certificates(Path file, char[] password) {
        KeyStore ks = open(file, password);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) instanceof X509Certificate c) {
                    out.add(c);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("truststore '" + file + "' holds no certificate");
            }
            return List.copyOf(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore '" + file + "' cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
