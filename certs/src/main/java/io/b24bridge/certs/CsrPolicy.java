package io.b24bridge.certs;

import java.security.GeneralSecurityException;
import java.security.PublicKey;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * What the local CA refuses to sign. A CSR is a wish list from whoever made it; the CA signs only what the role
 * allows, and says no rather than quietly dropping a wish, so the requester learns why.
 */
final class CsrPolicy {

    private CsrPolicy() {
    }

    /** Checks a CSR for {@code role}; returns its public key. */
    static PublicKey check(PKCS10CertificationRequest csr, Role role) {
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new CertsException("the CSR's public key cannot be read: " + e.getMessage());
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new CertsException("the CSR's signature does not verify: it was altered or damaged");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new CertsException("the CSR's signature cannot be checked: " + e.getMessage());
        }
        Keys.requireAcceptable(key, "the CSR");
        Extensions wanted = csr.getRequestedExtensions();
        if (wanted == null) {
            return key;
        }
        BasicConstraints bc = BasicConstraints.fromExtensions(wanted);
        if (bc != null && bc.isCA()) {
            throw new CertsException("the CSR asks to be a CA (basicConstraints CA:true): this tool signs only"
                    + " end-entity certificates");
        }
        KeyUsage ku = KeyUsage.fromExtensions(wanted);
        if (ku != null && (ku.hasUsages(KeyUsage.keyCertSign) || ku.hasUsages(KeyUsage.cRLSign))) {
            throw new CertsException("the CSR asks for key usage keyCertSign/cRLSign, which only a CA has");
        }
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(wanted);
        if (eku != null) {
            for (KeyPurposeId p : eku.getUsages()) {
                if (!p.equals(role.purpose())) {
                    throw new CertsException("the CSR asks for extended key usage " + purposeName(p) + ", but it is"
                            + " being signed as a " + role.optionName() + " certificate (" + role.purposeName()
                            + " only): sign it with the right --role, or have a new CSR made for this role");
                }
            }
        }
        if (wanted.getExtension(Extension.subjectAlternativeName) != null) {
            SubjectAltNames.requestedBy(wanted); // refuses kinds of names we do not issue
        }
        return key;
    }

    static String purposeName(KeyPurposeId p) {
        if (p.equals(KeyPurposeId.id_kp_serverAuth)) {
            return "serverAuth";
        }
        if (p.equals(KeyPurposeId.id_kp_clientAuth)) {
            return "clientAuth";
        }
        if (p.equals(KeyPurposeId.anyExtendedKeyUsage)) {
            return "anyExtendedKeyUsage";
        }
        if (p.equals(KeyPurposeId.id_kp_codeSigning)) {
            return "codeSigning";
        }
        if (p.equals(KeyPurposeId.id_kp_emailProtection)) {
            return "emailProtection";
        }
        return p.getId();
    }
}
