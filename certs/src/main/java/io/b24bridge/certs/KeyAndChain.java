package io.b24bridge.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key with its certificate chain: the certificate first, then the CA certificates up towards the
 * root (a self-signed root may be left out, since the peer holds it anyway). What goes into a PKCS#12 keystore.
 */
public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {

    public KeyAndChain {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least its own certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }
}
