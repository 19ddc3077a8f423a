package io.b24bridge;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.b24bridge.access.LocalTools;

/** SSL contexts for test clients, from the PKCS#12 files of the development PKI. */
public final class TestTls {

    private TestTls() {
    }

    /** A client that trusts {@code trustStore} and, when {@code clientKeystore} is given, presents its key. */
    public static SSLContext context(Path trustStore, Path clientKeystore, char[] password) {
        try {
            KeyStore trust = load(trustStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientKeystore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(clientKeystore, password), password);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client that trusts {@code trustStore} and presents the local tools' credential the appliance made in
     * {@code keysDir} (storage.dir/keys): as {@code b24bridge backup} and the installer do on the machine.
     */
    public static SSLContext localTools(Path trustStore, char[] password, Path keysDir) {
        try {
            LocalTools tools = LocalTools.read(keysDir).orElseThrow(
                    () -> new IllegalStateException("no local tools' credential in " + keysDir));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("local-tools", tools.key(), password, new Certificate[] {tools.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, password));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        }
    }
}
