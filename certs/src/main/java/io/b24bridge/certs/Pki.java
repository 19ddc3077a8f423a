package io.b24bridge.certs;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The certificate operations of the tool, for the command line and for tests in other modules.
 *
 * <pre>{@code
 * LocalCa ca = Pki.initCa(CaSpec.of("CN=Test CA"));
 * KeyAndChain server = Pki.issue(ca, LeafSpec.server("CN=appliance", SubjectAltNames.of(List.of("localhost"))),
 *         Validity.days(30));
 * KeyAndChain client = Pki.issue(ca, LeafSpec.client("CN=appliance client"), Validity.days(30));
 * Bundle.Layout files = Bundle.write(dir, password, server, client, List.of(ca.certificate()));
 * }</pre>
 *
 * Everything happens in memory; files are written by {@link Bundle}, {@link Stores} and {@link Pem}.
 */
public final class Pki {

    private Pki() {
    }

    /** A new CA: key pair and self-signed certificate (pathLen 0 or 1, keyCertSign + cRLSign). */
    public static LocalCa initCa(CaSpec spec) {
        SecureRandom random = new SecureRandom();
        KeyPair keys = spec.keyType().generate(random);
        X509Certificate cert = Certificates.selfSignedCa(Names.parse(spec.subject()), keys, spec.validity(),
                spec.pathLength(), random);
        return new LocalCa(keys.getPrivate(), cert);
    }

    /**
     * A new CA signed by {@code parent} (which must allow it: path length 1 or more). The tool's commands do
     * not make intermediates; this is for tests that stand in for a two-tier corporate PKI.
     */
    public static LocalCa intermediateCa(LocalCa parent, CaSpec spec) {
        if (parent.certificate().getBasicConstraints() < 1) {
            throw new CertsException("'" + Names.subject(parent.certificate()) + "' has path length 0: it may not"
                    + " sign another CA");
        }
        if (spec.pathLength() >= parent.certificate().getBasicConstraints()) {
            throw new CertsException("an intermediate's path length must be below its parent's");
        }
        requireWithinCa(parent, spec.validity());
        SecureRandom random = new SecureRandom();
        KeyPair keys = spec.keyType().generate(random);
        X509Certificate cert = Certificates.intermediateCa(parent, Names.parse(spec.subject()), keys.getPublic(),
                spec.validity(), spec.pathLength(), random);
        return new LocalCa(keys.getPrivate(), cert, parent.chain());
    }

    /**
     * A new key pair and a CSR for it, asking for what the role needs: keyUsage, the role's extended key usage,
     * the alternative names, not-a-CA. A corporate CA may or may not copy these; they tell it what is wanted.
     */
    public static KeyAndCsr csr(LeafSpec spec) {
        SecureRandom random = new SecureRandom();
        KeyPair keys = spec.keyType().generate(random);
        try {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(spec.role().keyUsageBits(keys.getPublic())));
            ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.role().purpose()));
            if (!spec.names().isEmpty()) {
                ext.addExtension(Extension.subjectAlternativeName, false, spec.names().toGeneralNames());
            }
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(Names.parse(spec.subject()),
                    keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(keys.getPublic()))
                            .build(keys.getPrivate()));
            return new KeyAndCsr(keys.getPrivate(), csr);
        } catch (java.io.IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CSR", e);
        }
    }

    /** A new key and a certificate for it signed by {@code ca} (for labs: no CSR round trip). */
    public static KeyAndChain issue(LocalCa ca, LeafSpec spec, Validity validity) {
        SecureRandom random = new SecureRandom();
        requireWithinCa(ca, validity);
        KeyPair keys = spec.keyType().generate(random);
        X509Certificate cert = Certificates.leaf(ca, Names.parse(spec.subject()), keys.getPublic(), spec.role(),
                spec.names(), validity, random);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(ca.chain());
        return new KeyAndChain(keys.getPrivate(), chain);
    }

    /**
     * Signs a CSR as a certificate of {@code options.role()}. Refuses (with {@link CertsException}) a CSR whose
     * signature does not verify, whose key is weak, that asks to be a CA, asks for another extended key usage
     * than the role's, or — for a server — names no host; and a validity that outlasts the CA.
     */
    public static X509Certificate sign(LocalCa ca, PKCS10CertificationRequest csr, SignOptions options) {
        PublicKey key = CsrPolicy.check(csr, options.role());
        SubjectAltNames names = SubjectAltNames.requestedBy(csr.getRequestedExtensions()).plus(options.extraNames());
        X500Name subject = options.subject().map(Names::parse).orElse(csr.getSubject());
        if (options.role() == Role.SERVER && names.isEmpty()) {
            throw new CertsException("the CSR names no host (no DNS name or IP address) and none were given"
                    + " (--dns/--ip): a server certificate needs them, clients check the host against them");
        }
        if (subject.getRDNs().length == 0 && names.isEmpty()) {
            throw new CertsException("the CSR has neither a subject nor alternative names: give --subject");
        }
        requireWithinCa(ca, options.validity());
        return Certificates.leaf(ca, subject, key, options.role(), names, options.validity(), new SecureRandom());
    }

    /** A certificate must not outlive its CA: peers would refuse it from that day on, without a clear reason. */
    private static void requireWithinCa(LocalCa ca, Validity validity) {
        var caEnd = ca.certificate().getNotAfter().toInstant();
        if (!validity.notBefore().isBefore(caEnd)) {
            throw new CertsException("the CA '" + Names.subject(ca.certificate()) + "' expired on " + caEnd);
        }
        if (validity.notAfter().isAfter(caEnd)) {
            throw new CertsException("the certificate would end on " + validity.notAfter() + ", after its CA '"
                    + Names.subject(ca.certificate()) + "' ends (" + caEnd + "): give fewer days, or renew the CA");
        }
    }
}
