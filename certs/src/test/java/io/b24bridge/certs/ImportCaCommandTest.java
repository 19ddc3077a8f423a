package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corporate two-tier PKI (root + issuing CA), imported as PEM and DER. */
class ImportCaCommandTest {

    static final LocalCa ROOT = Pki.initCa(new CaSpec("CN=Corp Root, O=Corp", KeyType.EC_P384, Validity.days(3650), 1));
    static final LocalCa ISSUING = Pki.intermediateCa(ROOT, new CaSpec("CN=Corp Issuing, O=Corp", KeyType.EC_P256,
            Validity.days(1000), 0));

    @TempDir
    Path root;

    @Test
    void importsAPemChainAndADerRootIntoCaPemAndTrustP12() throws Exception {
        Lab lab = new Lab(root);
        Path chain = root.resolve("issuing.pem");
        Files.writeString(chain, Pem.encode(ISSUING.certificate()));
        Path der = root.resolve("root.cer");
        Files.write(der, ROOT.certificate().getEncoded());
        Tool.Result r = lab.ok("import-ca", "--file", chain.toString(), "--file", der.toString(),
                "--password-file", lab.storePass.toString());
        assertTrue(r.out().contains("intermediate 'CN=Corp Issuing,O=Corp'"), r::toString);
        assertTrue(r.out().contains("root         'CN=Corp Root,O=Corp'"), r::toString);
        assertTrue(r.out().contains(Fingerprints.sha256(ROOT.certificate())));
        assertFalse(r.err().contains("is not imported"), "the issuing CA's root came along: " + r);

        assertEquals(List.of(ISSUING.certificate(), ROOT.certificate()), Pem.readCertificates(lab.file("ca.pem")));
        assertTrue(Files.readString(lab.file("ca.pem")).contains("# CN=Corp Root,O=Corp"), "annotated for people");
        List<X509Certificate> trusted = Stores.readTrusted(lab.file("trust.p12"), lab.password());
        assertEquals(2, trusted.size());
        assertEquals("rw-------", Perms.of(lab.file("trust.p12")));

        Tool.Result again = lab.ok("import-ca", "--file", der.toString(), "--password-file", lab.storePass.toString());
        assertTrue(again.out().contains("2 trusted CA(s) (0 new)"), again::toString);
    }

    @Test
    void anIssuingCaAloneBecomesTheAnchorWithAWarning() {
        Lab lab = new Lab(root);
        Path chain = root.resolve("issuing.pem");
        writeQuietly(chain, Pem.encode(ISSUING.certificate()));
        Tool.Result r = lab.ok("import-ca", "--file", chain.toString(), "--password-file", lab.storePass.toString());
        assertTrue(r.err().contains("this CA itself is the trust anchor"), r::toString);
    }

    @Test
    void replaceDropsEarlierCas() {
        Lab lab = new Lab(root);
        Path a = root.resolve("a.pem");
        writeQuietly(a, Pem.encode(ROOT.certificate()));
        lab.ok("import-ca", "--file", a.toString(), "--password-file", lab.storePass.toString());
        LocalCa next = Pki.initCa(CaSpec.of("CN=Next Root"));
        Path b = root.resolve("b.pem");
        writeQuietly(b, Pem.encode(next.certificate()));
        lab.ok("import-ca", "--file", b.toString(), "--replace", "--password-file", lab.storePass.toString());
        assertEquals(List.of(next.certificate()), Pem.readCertificates(lab.file("ca.pem")));
        assertEquals(List.of(next.certificate()), Stores.readTrusted(lab.file("trust.p12"), lab.password()));
    }

    @Test
    void refusesWhatIsNotAUsableCaCertificateAndWritesNothing() {
        Lab lab = new Lab(root);
        KeyAndChain leaf = Pki.issue(ISSUING, LeafSpec.client("CN=someone"), Validity.days(5));
        LocalCa old = Pki.initCa(new CaSpec("CN=Old Root", KeyType.EC_P256,
                new Validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))), 0));
        Path leafFile = root.resolve("leaf.pem");
        writeQuietly(leafFile, Pem.encode(leaf.certificate()));
        Path keyFile = root.resolve("key.pem");
        writeQuietly(keyFile, Pem.encryptedKey(leaf.key(), "some-password".toCharArray()));
        Path garbage = root.resolve("garbage.cer");
        writeQuietly(garbage, "this is not a certificate at all");
        Path expired = root.resolve("old.pem");
        writeQuietly(expired, Pem.encode(old.certificate()));
        Path empty = root.resolve("empty.pem");
        writeQuietly(empty, "");

        assertRefused(lab, leafFile, "is not a CA certificate");
        assertRefused(lab, keyFile, "holds a PEM \"ENCRYPTED PRIVATE KEY\", not a certificate");
        assertRefused(lab, garbage, "is not a certificate (neither PEM nor DER X.509)");
        assertRefused(lab, expired, "expired on");
        assertRefused(lab, empty, "is empty");
        assertRefused(lab, root.resolve("nowhere.pem"), "nowhere.pem does not exist");
        assertFalse(Files.exists(lab.file("ca.pem")));
        assertFalse(Files.exists(lab.file("trust.p12")));
    }

    private static void assertRefused(Lab lab, Path file, String message) {
        Tool.Result r = lab.run("import-ca", "--file", file.toString(), "--password-file", lab.storePass.toString());
        assertEquals(CertsTool.ERROR, r.code(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
    }

    static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
