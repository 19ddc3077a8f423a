package io.b24bridge.certs;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** SHA-256 fingerprints, written as {@code openssl x509 -fingerprint -sha256} does, to compare by eye. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /**
     * The serial number as OpenSSL ({@code x509 -serial}) and nginx ({@code $ssl_client_serial}) write it:
     * upper-case hex, whole bytes.
     */
    public static String serial(X509Certificate c) {
        String hex = c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    public static String sha256(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
