package io.b24bridge.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A CA this tool signs with: its private key, its certificate, and (for an intermediate) the certificates
 * above it up to the root, which go into the chains of what it issues.
 */
public record LocalCa(PrivateKey key, X509Certificate certificate, List<X509Certificate> parents) {

    public LocalCa(PrivateKey key, X509Certificate certificate) {
        this(key, certificate, List.of());
    }

    public LocalCa {
        parents = List.copyOf(parents);
        if (certificate.getBasicConstraints() < 0) {
            throw new CertsException("'" + Names.subject(certificate) + "' is not a CA certificate");
        }
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new CertsException("the CA key does not belong to the CA certificate '"
                    + Names.subject(certificate) + "'");
        }
    }

    /** This CA's certificate and those above it: what follows an issued certificate in its chain. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(parents);
        return chain;
    }
}
