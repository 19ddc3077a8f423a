package io.b24bridge.certs;

import java.security.cert.X509Certificate;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;

/** Distinguished names as people type them ({@code CN=b24bridge, O=Example}). */
final class Names {

    private Names() {
    }

    /** Parses a distinguished name; refuses an empty or malformed one with a message saying how to write it. */
    static X500Name parse(String dn) {
        if (dn == null || dn.isBlank()) {
            throw new CertsException("the subject is empty: write it like \"CN=b24bridge.corp.example, O=Example\"");
        }
        try {
            // read as RFC 2253 reads it (the most specific name first, as people write it), so the encoded
            // order is the usual C/O/OU/CN and the name prints back the way it was typed
            X500Principal principal = new X500Principal(dn.strip());
            X500Name name = X500Name.getInstance(principal.getEncoded());
            if (name.getRDNs().length == 0) {
                throw new IllegalArgumentException("no attributes");
            }
            return name;
        } catch (IllegalArgumentException e) {
            throw new CertsException("'" + dn + "' is not a distinguished name (" + e.getMessage()
                    + "): write it like \"CN=b24bridge.corp.example, O=Example\"");
        }
    }

    /** A certificate's subject as RFC 2253 text, for messages. */
    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName();
    }
}
