package io.b24bridge.doctor;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.tls.TlsMaterial;

/**
 * Checks one keystore/truststore pair of the configuration: it opens, the key belongs to the certificate,
 * the chain holds together, nothing has expired or expires within {@link #SOON}, and the certificate may be
 * used for what it is used for (extended key usage serverAuth for a listener, clientAuth towards the box).
 */
final class CertificateCheck {

    static final Duration SOON = Duration.ofDays(30);
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private CertificateCheck() {
    }

    static Finding check(String name, ApplianceConfig.Tls tls, String purpose, Instant now) {
        TlsMaterial m;
        try {
            m = TlsMaterial.load(tls);
        } catch (ConfigException e) {
            return Finding.fail(name, e.getMessage());
        }
        X509Certificate leaf = m.certificate();
        String who = subject(leaf) + " (" + tls.keystore() + ")";
        if (!keyMatches(m.key(), leaf)) {
            return Finding.fail(name, "the private key does not belong to the certificate " + who
                    + ": rebuild the PKCS#12 from the key and the certificate issued for it");
        }
        for (int i = 0; i + 1 < m.chain().size(); i++) {
            try {
                m.chain().get(i).verify(m.chain().get(i + 1).getPublicKey());
            } catch (Exception e) {
                return Finding.fail(name, "the certificate chain in " + tls.keystore() + " is broken: "
                        + subject(m.chain().get(i)) + " is not signed by " + subject(m.chain().get(i + 1))
                        + ": put the issuing CA certificates in order into the PKCS#12");
            }
        }
        String purposeName = purpose.equals(SERVER_AUTH) ? "serverAuth" : "clientAuth";
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(purpose) && !eku.contains(ANY_EKU)) {
                return Finding.fail(name, who + " is not allowed for " + purposeName + " (its extended key usage is "
                        + eku + "): have it reissued with " + purposeName);
            }
        } catch (CertificateParsingException e) {
            return Finding.fail(name, who + " has an unreadable extended key usage: " + e.getMessage());
        }
        List<X509Certificate> all = new ArrayList<>(m.chain());
        all.addAll(m.trust());
        Instant soonest = Instant.MAX;
        X509Certificate first = leaf;
        for (X509Certificate c : all) {
            Instant notAfter = c.getNotAfter().toInstant();
            if (now.isAfter(notAfter)) {
                return Finding.fail(name, subject(c) + " expired on " + notAfter + " (in " + tls.keystore()
                        + " or its truststore): have it renewed");
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                return Finding.fail(name, subject(c) + " is not valid before " + c.getNotBefore().toInstant()
                        + ": check this machine's clock");
            }
            if (notAfter.isBefore(soonest)) {
                soonest = notAfter;
                first = c;
            }
        }
        long days = Duration.between(now, soonest).toDays();
        if (Duration.between(now, soonest).compareTo(SOON) < 0) {
            return Finding.warn(name, subject(first) + " expires in " + days + " days (" + soonest
                    + "): renew it now (b24bridge-certs, or the security team)");
        }
        return Finding.ok(name, who + ", " + purposeName + ", chain of " + m.chain().size()
                + (m.trust().isEmpty() ? "" : ", trusting " + m.trust().size() + " CA(s)")
                + "; first expiry in " + days + " days");
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return true; // an algorithm we do not know how to test: the TLS handshake will tell
        }
        try {
            byte[] probe = "b24bridge doctor".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    static String subject(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }
}
