package io.b24bridge.certs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * PKCS#12 keystores as the appliance reads them: one key with its chain per keystore, or trusted CA
 * certificates only. Written with the JDK's defaults (PBES2/AES-256, HMAC-SHA256 MAC), which OpenSSL 1.1.1+
 * reads too.
 */
public final class Stores {

    private Stores() {
    }

    /** A key entry of a keystore: its alias, key and chain. */
    public record Entry(String alias, KeyAndChain keyAndChain) {
    }

    /** Writes a keystore holding {@code key} under {@code alias}, 0600. */
    public static void writeKeyStore(Path file, String alias, KeyAndChain key, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key.key(), password, key.chain().toArray(Certificate[]::new));
            SecureFiles.write(file, bytes(ks, password), SecureFiles.SECRET);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the keystore " + file, e);
        }
    }

    /** Writes a trust store of {@code trusted} certificates (aliases from their common names), 0600. */
    public static void writeTrustStore(Path file, List<X509Certificate> trusted, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Set<String> used = new LinkedHashSet<>();
            for (X509Certificate c : trusted) {
                ks.setCertificateEntry(alias(c, used), c);
            }
            SecureFiles.write(file, bytes(ks, password), SecureFiles.SECRET);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the trust store " + file, e);
        }
    }

    /**
     * Opens a PKCS#12 file. A wrong password and a file that is no keystore get their own messages: the first
     * is a typo to retry, the second a wrong file.
     */
    public static KeyStore open(Path file, char[] password) {
        byte[] bytes = SecureFiles.read(file, "PKCS#12 keystore");
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(bytes), password);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage())
                    .toLowerCase(Locale.ROOT).contains("password")) {
                throw new CertsException("wrong password for " + file);
            }
            throw new CertsException(file + " is not a PKCS#12 keystore (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new CertsException(file + " cannot be opened: " + e.getMessage());
        }
    }

    /**
     * The key entry of a keystore: the one named {@code alias}, or the only one there is (a keystore with
     * several keys needs the alias, like the appliance's {@code key-alias}).
     */
    public static Entry readKey(Path file, char[] password, Optional<String> alias) {
        KeyStore ks = open(file, password);
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    keyAliases.add(a);
                }
            }
            String chosen;
            if (alias.isPresent()) {
                if (!keyAliases.contains(alias.get())) {
                    throw new CertsException(file + " has no key named '" + alias.get() + "' (it has " + keyAliases + ")");
                }
                chosen = alias.get();
            } else if (keyAliases.size() == 1) {
                chosen = keyAliases.getFirst();
            } else if (keyAliases.isEmpty()) {
                throw new CertsException(file + " holds no private key (is it a trust store?)");
            } else {
                throw new CertsException(file + " holds several keys " + keyAliases + ": say which with --key-alias");
            }
            Key key = ks.getKey(chosen, password);
            if (!(key instanceof PrivateKey pk)) {
                throw new CertsException(file + ": entry '" + chosen + "' is not a private key");
            }
            Certificate[] chain = ks.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw new CertsException(file + ": the key '" + chosen + "' has no certificate");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                certs.add((X509Certificate) c);
            }
            return new Entry(chosen, new KeyAndChain(pk, certs));
        } catch (UnrecoverableKeyException e) {
            throw new CertsException("the key in " + file + " does not open with the keystore's password"
                    + " (the appliance needs both to be the same)");
        } catch (GeneralSecurityException e) {
            throw new CertsException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** The trusted certificates of a trust store (the certificate entries; key entries are not trust). */
    public static List<X509Certificate> readTrusted(Path file, char[] password) {
        KeyStore ks = open(file, password);
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(a) && ks.getCertificate(a) instanceof X509Certificate x) {
                    certs.add(x);
                }
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new CertsException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** Every certificate in a keystore, with where it sits ({@code alias} or {@code alias[2]} in a chain). */
    static List<Located> allCertificates(KeyStore ks) throws GeneralSecurityException {
        List<Located> out = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) {
            Certificate[] chain = ks.isKeyEntry(a) ? ks.getCertificateChain(a) : null;
            if (chain != null) {
                for (int i = 0; i < chain.length; i++) {
                    out.add(new Located(i == 0 ? a : a + "[" + i + "]", (X509Certificate) chain[i]));
                }
            } else if (ks.getCertificate(a) instanceof X509Certificate x) {
                out.add(new Located(a, x));
            }
        }
        return out;
    }

    record Located(String where, X509Certificate certificate) {
    }

    private static byte[] bytes(KeyStore ks, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    private static String alias(X509Certificate c, Set<String> used) {
        String cn = c.getSubjectX500Principal().getName();
        for (String part : cn.split(",")) {
            if (part.strip().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                cn = part.strip().substring(3);
                break;
            }
        }
        String base = cn.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (base.isEmpty()) {
            base = "ca";
        }
        String alias = base;
        for (int i = 2; !used.add(alias); i++) {
            alias = base + "-" + i;
        }
        return alias;
    }
}
