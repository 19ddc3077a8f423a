package io.b24bridge.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ca.pem}: the CA certificates the appliance trusts, as PEM with a comment line per certificate (subject,
 * end date, fingerprint) for the people reading it. {@code trust.p12} is made from it.
 */
final class TrustList {

    private TrustList() {
    }

    static List<X509Certificate> read(Path file) {
        return Files.exists(file) ? Pem.readCertificates(file) : List.of();
    }

    /** Adds the certificates not there yet; returns those added. */
    static List<X509Certificate> add(Path file, List<X509Certificate> certs) {
        List<X509Certificate> all = new ArrayList<>(read(file));
        List<X509Certificate> added = new ArrayList<>();
        for (X509Certificate c : certs) {
            if (!Chains.containsSame(all, c)) {
                all.add(c);
                added.add(c);
            }
        }
        if (!added.isEmpty()) {
            write(file, all);
        }
        return added;
    }

    static void write(Path file, List<X509Certificate> certs) {
        SecureFiles.write(file, annotated(certs), SecureFiles.PUBLIC);
    }

    /** PEM blocks each preceded by {@code # subject / until / SHA-256}; OpenSSL and the JDK skip such lines. */
    static String annotated(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append("# ").append(Names.subject(c)).append('\n')
                    .append("#   valid until ").append(c.getNotAfter().toInstant())
                    .append(", SHA-256 ").append(Fingerprints.sha256(c)).append('\n')
                    .append(Pem.encode(c));
        }
        return sb.toString();
    }
}
