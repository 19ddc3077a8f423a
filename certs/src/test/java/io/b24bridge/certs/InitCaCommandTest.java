package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCaCommandTest {

    @TempDir
    Path root;

    @Test
    void makesAnEncryptedCaKeyAndCertificateWithPrivateModes() throws Exception {
        Lab lab = new Lab(root);
        Tool.Result r = lab.ok("init-ca", "--ca-password-file", lab.caPass.toString(), "--subject",
                "CN=Example b24bridge CA, O=Example", "--days", "1000", "--key", "ec-p384", "--path-len", "1");
        Path key = lab.file("local-ca/ca.key");
        assertEquals("rw-------", Perms.of(key));
        assertEquals("rwx------", Perms.of(lab.dir));
        assertEquals("rwx------", Perms.of(lab.file("local-ca")));
        String pem = Files.readString(key);
        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), "the CA key is encrypted at rest");
        assertFalse(r.all().contains("PRIVATE KEY"), "no key is printed");

        X509Certificate ca = Pem.readCertificates(lab.file("local-ca/ca.crt")).getFirst();
        assertEquals("CN=Example b24bridge CA,O=Example", ca.getSubjectX500Principal().getName());
        assertEquals(1, ca.getBasicConstraints());
        assertEquals("EC P-384", Keys.describe(ca.getPublicKey()));
        assertEquals(List.of(ca), Pem.readCertificates(lab.file("ca.pem")), "the CA is now trusted");
        assertTrue(r.out().contains(Fingerprints.sha256(ca)));

        LocalCa loaded = new CaDir(lab.file("local-ca")).load(Lab.CA_PASSWORD.toCharArray());
        assertArrayEquals(ca.getEncoded(), loaded.certificate().getEncoded());
        CertsException wrong = assertThrows(CertsException.class,
                () -> new CaDir(lab.file("local-ca")).load("not-the-password".toCharArray()));
        assertTrue(wrong.getMessage().startsWith("wrong password for"), wrong.getMessage());
    }

    @Test
    void neverReplacesAnExistingCaKeyWithoutForce() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString());
        byte[] before = Files.readAllBytes(lab.file("local-ca/ca.key"));
        Tool.Result again = lab.run("init-ca", "--ca-password-file", lab.caPass.toString());
        assertEquals(CertsTool.ERROR, again.code());
        assertTrue(again.err().contains("already exists: nothing was written. Give --force"), again::toString);
        assertArrayEquals(before, Files.readAllBytes(lab.file("local-ca/ca.key")));

        Tool.Result forced = lab.ok("init-ca", "--ca-password-file", lab.caPass.toString(), "--force");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(lab.file("local-ca/ca.key"))));
        assertTrue(forced.err().contains("still trusts 1 earlier CA"), forced::toString);
        assertEquals(2, Pem.readCertificates(lab.file("ca.pem")).size());
    }

    @Test
    void asksForTheCaPasswordTwiceAndRefusesMismatchesAndShortOnes() {
        Path dir = root.resolve("pki");
        Tool.ScriptedPrompt prompt = new Tool.ScriptedPrompt("correct horse", "correct horse");
        assertEquals(0, Tool.run(Clock.systemUTC(), prompt, "init-ca", "--dir", dir.toString(), "--key", "rsa3072").code());
        assertEquals(2, prompt.questions.size());
        assertTrue(Files.exists(dir.resolve("local-ca/ca.key")));

        Path other = root.resolve("other");
        Tool.Result mismatch = Tool.run(Clock.systemUTC(), new Tool.ScriptedPrompt("correct horse", "correct h0rse"),
                "init-ca", "--dir", other.toString());
        assertEquals(CertsTool.ERROR, mismatch.code());
        assertTrue(mismatch.err().contains("the two passwords differ"), mismatch::toString);
        assertFalse(Files.exists(other.resolve("local-ca/ca.key")));

        Tool.Result shortOne = Tool.run(Clock.systemUTC(), new Tool.ScriptedPrompt("short"), "init-ca", "--dir",
                other.toString());
        assertEquals(CertsTool.ERROR, shortOne.code());
        assertTrue(shortOne.err().contains("too short"), shortOne::toString);
    }

    @Test
    void badOptionValuesAreNamed() {
        Lab lab = new Lab(root);
        assertTrue(lab.run("init-ca", "--ca-password-file", lab.caPass.toString(), "--path-len", "2").err()
                .contains("--path-len must be between 0 and 1"));
        assertTrue(lab.run("init-ca", "--ca-password-file", lab.caPass.toString(), "--key", "dsa").err()
                .contains("'dsa' is not a key type"));
        assertTrue(lab.run("init-ca", "--ca-password-file", lab.caPass.toString(), "--subject", "no equals sign").err()
                .contains("is not a distinguished name"));
        assertTrue(lab.run("init-ca", "--ca-password-file", root.resolve("missing.pass").toString()).err()
                .contains("missing.pass does not exist"));
        assertFalse(Files.exists(lab.file("local-ca/ca.key")));
    }
}
