package io.b24bridge.tls;

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
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.Secret;

/**
 * A key with its certificate chain and the trusted CA certificates, read from the PKCS#12 files of the
 * configuration. Reading them ourselves (rather than by Helidon's keystore config) lets a keystore from any
 * corporate tool work without knowing its alias, and lets every error name the file.
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trust) {

    public static TlsMaterial load(ApplianceConfig.Tls tls) {
        KeyStore ks = open(tls.keystore(), tls.keystorePassword());
        String alias = tls.keyAlias().orElseGet(() -> onlyKeyAlias(ks, tls.keystore()));
        try {
            Key key = ks.getKey(alias, tls.keystorePassword().reveal());
            if (!(key instanceof PrivateKey privateKey)) {
                throw new ConfigException("keystore '" + tls.keystore() + "' has no private key under alias '"
                        + alias + "'");
            }
            Certificate[] chain = ks.getCertificateChain(alias);
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                certs.add((X509Certificate) c);
            }
            List<X509Certificate> trusted = tls.truststore()
                    .map(path -> certificates(open(path, tls.truststorePassword().orElse(tls.keystorePassword())), path))
                    .orElse(List.of());
            return new TlsMaterial(privateKey, List.copyOf(certs), trusted);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("keystore '" + tls.keystore() + "': the key cannot be read ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The certificate this side presents. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /**
     * A TLS context that presents this key and trusts exactly these CAs (not the JDK's defaults): the
     * appliance's side of mutual TLS with the box.
     */
    public SSLContext sslContext() {
        return sslContext(trust);
    }

    /**
     * The same key, trusting these CAs and the JDK's own: for a public server reached besides the box (Bitrix's
     * OAuth server, whose certificate a public CA signs).
     */
    public SSLContext sslContextWithSystemCas() {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            List<X509Certificate> all = new ArrayList<>(trust);
            for (TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    all.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            return sslContext(all);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("the JDK's CA certificates cannot be read: " + e.getMessage(), e);
        }
    }

    private SSLContext sslContext(List<X509Certificate> trustedCas) {
        try {
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (X509Certificate cert : trustedCas) {
                trusted.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("the TLS material cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore open(Path file, Secret password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.reveal());
            return ks;
        } catch (IOException e) {
            // a wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException
            throw new ConfigException("keystore '" + file + "' cannot be opened: wrong password or not PKCS#12 ("
                    + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("keystore '" + file + "' cannot be opened (" + e.getMessage() + ")", e);
        }
    }

    private static String onlyKeyAlias(KeyStore ks, Path file) {
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new ConfigException("keystore '" + file + "' holds " + keys.size()
                        + " keys " + keys + ": name the one to use with key-alias");
            }
            return keys.getFirst();
        } catch (GeneralSecurityException e) {
            throw new ConfigException("keystore '" + file + "' cannot be listed (" + e.getMessage() + ")", e);
        }
    }

    private static List<X509Certificate> certificates(KeyStore ks, Path file) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                Optional.ofNullable(ks.getCertificate(alias))
                        .filter(X509Certificate.class::isInstance)
                        .ifPresent(c -> certs.add((X509Certificate) c));
            }
            if (certs.isEmpty()) {
                throw new ConfigException("trust store '" + file + "' holds no certificate");
            }
            return List.copyOf(certs);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("trust store '" + file + "' cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
