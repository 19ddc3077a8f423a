package io.b24bridge.certs;

import java.security.PrivateKey;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** A new private key and the PKCS#10 request to have its certificate signed. The key stays where it was made. */
public record KeyAndCsr(PrivateKey key, PKCS10CertificationRequest csr) {
}
