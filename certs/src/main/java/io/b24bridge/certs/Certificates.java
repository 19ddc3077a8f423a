package io.b24bridge.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds and signs X.509 v3 certificates with the extensions each kind needs. */
final class Certificates {

    private Certificates() {
    }

    /**
     * A self-signed CA: basicConstraints CA with {@code pathLength} (critical), keyUsage keyCertSign+cRLSign
     * (critical) and nothing else a TLS peer could mistake it for, SKI, and AKI equal to it.
     */
    static X509Certificate selfSignedCa(X500Name subject, KeyPair keys, Validity validity, int pathLength,
                                        SecureRandom random) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            SubjectKeyIdentifier ski = ext.createSubjectKeyIdentifier(keys.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false, ski);
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
            return sign(b, keys.getPrivate(), keys.getPublic());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /** A CA certificate signed by {@code parent}: the same extensions as a root, with an AKI naming the parent. */
    static X509Certificate intermediateCa(LocalCa parent, X500Name subject, PublicKey key, Validity validity,
                                          int pathLength, SecureRandom random) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(parent.certificate(), serial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyId(parent, ext)));
            return sign(b, parent.key(), parent.certificate().getPublicKey());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the intermediate CA certificate", e);
        }
    }

    /**
     * An end-entity certificate signed by {@code ca}: basicConstraints not-a-CA (critical), keyUsage for the
     * role (critical), extendedKeyUsage of exactly the role, the alternative names, SKI, and an AKI naming the
     * CA's key by identifier only (so a CA certificate renewed with the same key still verifies it).
     */
    static X509Certificate leaf(LocalCa ca, X500Name subject, PublicKey key, Role role, SubjectAltNames names,
                                Validity validity, SecureRandom random) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(role.keyUsageBits(key)));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(role.purpose()));
            if (!names.isEmpty()) {
                // critical when the subject is empty, as RFC 5280 requires; otherwise not
                b.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                        names.toGeneralNames());
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyId(ca, ext)));
            return sign(b, ca.key(), ca.certificate().getPublicKey());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the certificate", e);
        }
    }

    private static byte[] caKeyId(LocalCa ca, JcaX509ExtensionUtils ext) {
        byte[] skiExtension = ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (skiExtension != null) {
            try {
                return SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(skiExtension))
                        .getKeyIdentifier();
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable SKI: derive the identifier from the key below
            }
        }
        return ASN1OctetString.getInstance(ext.createSubjectKeyIdentifier(ca.certificate().getPublicKey())
                .toASN1Primitive()).getOctets();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer, PublicKey signerPublic)
            throws GeneralSecurityException {
        try {
            var content = new JcaContentSignerBuilder(Keys.signatureAlgorithm(signerPublic)).build(signer);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(content));
            cert.verify(signerPublic);
            return cert;
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** 159 random bits: positive, at most 20 octets (RFC 5280), unguessable (no prefix attacks on the signer). */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(159, random).setBit(150);
    }
}
