package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The library: what goes into CA, leaf and CSR, and what the CA refuses to sign. */
class PkiTest {

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    static final LocalCa CA = Pki.initCa(CaSpec.of("CN=Test CA, O=Example"));

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void aCaIsSelfSignedWithOnlyCaUsagesForEachKeyType(KeyType type) throws Exception {
        LocalCa ca = Pki.initCa(new CaSpec("CN=Typed CA, O=Example", type, Validity.days(100), 1));
        X509Certificate c = ca.certificate();
        c.verify(c.getPublicKey());
        assertEquals("CN=Typed CA,O=Example", c.getSubjectX500Principal().getName(), "typed order is kept");
        assertEquals(1, c.getBasicConstraints(), "pathLen 1");
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[5] && ku[6], "keyCertSign and cRLSign");
        assertFalse(ku[0], "no digitalSignature: a CA is not a TLS peer");
        assertNull(c.getExtendedKeyUsage());
        assertArrayEquals(ski(c), aki(c), "self-signed: AKI = SKI");
        assertEquals(switch (type) {
            case RSA_3072 -> "RSA 3072";
            case EC_P256 -> "EC P-256";
            case EC_P384 -> "EC P-384";
        }, Keys.describe(c.getPublicKey()));
        assertEquals(type == KeyType.EC_P384 ? "SHA384withECDSA" : type == KeyType.RSA_3072 ? "SHA256withRSA"
                : "SHA256withECDSA", c.getSigAlgName());
    }

    @Test
    void pathLengthIsZeroOrOne() {
        assertEquals(0, CA.certificate().getBasicConstraints());
        assertThrows(CertsException.class, () -> new CaSpec("CN=x", KeyType.EC_P256, Validity.days(1), 2));
        assertThrows(CertsException.class, () -> new CaSpec("not a dn", KeyType.EC_P256, Validity.days(1), 0));
        assertThrows(CertsException.class, () -> new CaSpec("", KeyType.EC_P256, Validity.days(1), 0));
    }

    @Test
    void aServerCertificateHasServerAuthOnlyItsNamesAndKeyIdentifiers() throws Exception {
        KeyAndChain k = Pki.issue(CA, LeafSpec.server("CN=b24bridge.corp.example",
                SubjectAltNames.of(List.of("b24bridge.corp.example", "10.1.2.3", "fd00::1"))), Validity.days(30));
        X509Certificate c = k.certificate();
        c.verify(CA.certificate().getPublicKey());
        assertEquals(List.of(c, CA.certificate()), k.chain());
        assertEquals(-1, c.getBasicConstraints());
        assertEquals(List.of(SERVER_AUTH), c.getExtendedKeyUsage());
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[0], "digitalSignature");
        assertFalse(ku[2] || ku[5] || ku[6], "EC: no keyEncipherment, nothing a CA has");
        assertTrue(c.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
        SubjectAltNames names = SubjectAltNames.of(c);
        assertEquals(List.of("b24bridge.corp.example"), names.dnsNames());
        assertEquals(2, names.ipAddresses().size());
        assertTrue(names.covers("10.1.2.3") && names.covers("fd00:0:0:0:0:0:0:1"));
        assertArrayEquals(ski(CA.certificate()), aki(c), "AKI names the CA's key");
        assertNotNull(ski(c));
        assertTrue(Keys.matches(k.key(), c.getPublicKey()));
        assertFalse(Keys.matches(k.key(), CA.certificate().getPublicKey()));
    }

    @Test
    void anRsaServerAlsoGetsKeyEnciphermentAndAClientOnlyClientAuth() throws Exception {
        X509Certificate rsa = Pki.issue(CA, new LeafSpec(Role.SERVER, "CN=rsa", SubjectAltNames.of(List.of("rsa.example")),
                KeyType.RSA_3072), Validity.days(5)).certificate();
        assertTrue(rsa.getKeyUsage()[0] && rsa.getKeyUsage()[2]);
        X509Certificate client = Pki.issue(CA, LeafSpec.client("CN=client"), Validity.days(5)).certificate();
        assertEquals(List.of(CLIENT_AUTH), client.getExtendedKeyUsage());
        assertNull(client.getSubjectAlternativeNames());
    }

    @Test
    void aServerNeedsANameAndACertificateCannotOutliveItsCa() {
        assertTrue(assertThrows(CertsException.class, () -> LeafSpec.server("CN=x", SubjectAltNames.none()))
                .getMessage().contains("needs at least one DNS name or IP address"));
        Instant caEnd = CA.certificate().getNotAfter().toInstant();
        assertTrue(assertThrows(CertsException.class, () -> Pki.issue(CA, LeafSpec.client("CN=long"),
                new Validity(Instant.now(), caEnd.plus(Duration.ofDays(1))))).getMessage().contains("after its CA"));
    }

    @Test
    void aCsrAsksForWhatTheRoleNeeds() throws Exception {
        KeyAndCsr k = Pki.csr(LeafSpec.server("CN=b24bridge.corp.example",
                SubjectAltNames.of(List.of("b24bridge.corp.example"))));
        PKCS10CertificationRequest csr = k.csr();
        assertEquals(new X500Name("CN=b24bridge.corp.example"), csr.getSubject());
        var ext = csr.getRequestedExtensions();
        assertEquals(List.of(KeyPurposeId.id_kp_serverAuth), List.of(ExtendedKeyUsage.fromExtensions(ext).getUsages()));
        assertTrue(KeyUsage.fromExtensions(ext).hasUsages(KeyUsage.digitalSignature));
        assertFalse(BasicConstraints.fromExtensions(ext).isCA());
        assertEquals(List.of("b24bridge.corp.example"), SubjectAltNames.requestedBy(ext).dnsNames());

        X509Certificate signed = Pki.sign(CA, csr, SignOptions.of(Role.SERVER, Validity.days(10)));
        assertTrue(Keys.matches(k.key(), signed.getPublicKey()), "the certificate is for the CSR's key");
        assertEquals(List.of(SERVER_AUTH), signed.getExtendedKeyUsage());
    }

    @Test
    void signingAddsGivenNamesAndMayReplaceTheSubject() throws Exception {
        KeyAndCsr k = Pki.csr(LeafSpec.server("CN=a", SubjectAltNames.of(List.of("a.example"))));
        X509Certificate c = Pki.sign(CA, k.csr(), new SignOptions(Role.SERVER, Optional.of("CN=b.example, O=Example"),
                SubjectAltNames.of(List.of("b.example", "192.0.2.7")), Validity.days(3)));
        assertEquals("CN=b.example,O=Example", c.getSubjectX500Principal().getName());
        assertEquals(List.of("a.example", "b.example"), SubjectAltNames.of(c).dnsNames());
        assertEquals(List.of("192.0.2.7"), SubjectAltNames.of(c).ipAddresses());
    }

    @Test
    void aCsrForTheOtherRoleIsRefused() {
        KeyAndCsr client = Pki.csr(LeafSpec.client("CN=client"));
        CertsException e = assertThrows(CertsException.class, () -> Pki.sign(CA, client.csr(),
                new SignOptions(Role.SERVER, Optional.empty(), SubjectAltNames.of(List.of("x.example")), Validity.days(3))));
        assertTrue(e.getMessage().contains("asks for extended key usage clientAuth"), e.getMessage());
        KeyAndCsr server = Pki.csr(LeafSpec.server("CN=s", SubjectAltNames.of(List.of("s.example"))));
        assertThrows(CertsException.class, () -> Pki.sign(CA, server.csr(), SignOptions.of(Role.CLIENT, Validity.days(3))));
    }

    @Test
    void aCsrAskingForCaPowersOrOddUsagesIsRefused() throws Exception {
        ExtensionsGenerator ca = new ExtensionsGenerator();
        ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        assertTrue(refusal(ca, Role.CLIENT).contains("asks to be a CA"));

        ExtensionsGenerator certSign = new ExtensionsGenerator();
        certSign.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
        assertTrue(refusal(certSign, Role.CLIENT).contains("keyCertSign"));

        ExtensionsGenerator both = new ExtensionsGenerator();
        both.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        assertTrue(refusal(both, Role.CLIENT).contains("serverAuth"), "one role per certificate");

        ExtensionsGenerator any = new ExtensionsGenerator();
        any.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage));
        assertTrue(refusal(any, Role.CLIENT).contains("anyExtendedKeyUsage"));

        ExtensionsGenerator email = new ExtensionsGenerator();
        email.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(
                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.rfc822Name, "a@b.example")));
        assertTrue(refusal(email, Role.CLIENT).contains("kind of alternative name"));
    }

    @Test
    void aServerCsrWithoutNamesATamperedCsrAndAWeakKeyAreRefused() throws Exception {
        // a CSR without any extension request: nothing asked, nothing named
        KeyPair kp = KeyType.EC_P256.generate(new java.security.SecureRandom());
        PKCS10CertificationRequest bare = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bare"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        assertTrue(assertThrows(CertsException.class, () -> Pki.sign(CA, bare, SignOptions.of(Role.SERVER,
                Validity.days(1)))).getMessage().contains("names no host"));
        assertNotNull(Pki.sign(CA, bare, new SignOptions(Role.SERVER, Optional.empty(),
                SubjectAltNames.of(List.of("bare.example")), Validity.days(1))), "names from the signer suffice");

        KeyPair other = KeyType.EC_P256.generate(new java.security.SecureRandom());
        PKCS10CertificationRequest forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=forged"),
                kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        assertTrue(assertThrows(CertsException.class, () -> Pki.sign(CA, forged, SignOptions.of(Role.CLIENT,
                Validity.days(1)))).getMessage().contains("signature does not verify"));

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair weak = rsa.generateKeyPair();
        PKCS10CertificationRequest weakCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=weak"),
                weak.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(weak.getPrivate()));
        assertTrue(assertThrows(CertsException.class, () -> Pki.sign(CA, weakCsr, SignOptions.of(Role.CLIENT,
                Validity.days(1)))).getMessage().contains("at least 2048"));
    }

    @Test
    void anIntermediateCaIssuesWithTheWholeChain() throws Exception {
        LocalCa root = Pki.initCa(new CaSpec("CN=Root", KeyType.EC_P384, Validity.days(100), 1));
        LocalCa issuing = Pki.intermediateCa(root, new CaSpec("CN=Issuing", KeyType.EC_P256, Validity.days(50), 0));
        assertEquals(0, issuing.certificate().getBasicConstraints());
        assertArrayEquals(ski(root.certificate()), aki(issuing.certificate()));
        KeyAndChain leaf = Pki.issue(issuing, LeafSpec.client("CN=leaf"), Validity.days(5));
        assertEquals(List.of(leaf.certificate(), issuing.certificate(), root.certificate()), leaf.chain());
        Chains.Chain path = Chains.build(leaf.certificate(), leaf.chain(), List.of(root.certificate()));
        assertEquals(Optional.empty(), Chains.validate(path, Instant.now()));
        assertEquals(List.of(leaf.certificate(), issuing.certificate()), path.toSend());
        assertThrows(CertsException.class, () -> Pki.intermediateCa(issuing, new CaSpec("CN=x", KeyType.EC_P256,
                Validity.days(1), 0)), "path length 0 signs no CA");
    }

    private static String refusal(ExtensionsGenerator ext, Role role) throws Exception {
        KeyPair kp = KeyType.EC_P256.generate(new java.security.SecureRandom());
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=asker"), kp.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        return assertThrows(CertsException.class, () -> Pki.sign(CA, csr, SignOptions.of(role, Validity.days(1))))
                .getMessage();
    }

    static byte[] ski(X509Certificate c) throws IOException {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                c.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    }

    static byte[] aki(X509Certificate c) throws IOException {
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                c.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierObject().getOctets();
    }
}
