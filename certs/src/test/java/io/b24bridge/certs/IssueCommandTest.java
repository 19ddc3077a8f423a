package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssueCommandTest {

    @TempDir
    Path root;

    private Lab labWithCa() {
        Lab lab = new Lab(root);
        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString());
        return lab;
    }

    @Test
    void signsACsrWithTheRoleUsagesNamesAndKeyIdentifiersAndLogsIt() throws Exception {
        Lab lab = labWithCa();
        lab.csrs("b24bridge.corp.example");
        Tool.Result r = lab.ok("issue", "--role", "server", "--csr", lab.file("appliance-server.csr").toString(),
                "--ip", "10.0.0.9", "--days", "90", "--ca-password-file", lab.caPass.toString());
        X509Certificate c = Pem.readCertificates(lab.file("appliance-server.crt")).getFirst();
        X509Certificate ca = Pem.readCertificates(lab.file("local-ca/ca.crt")).getFirst();
        c.verify(ca.getPublicKey());
        assertEquals(List.of(PkiTest.SERVER_AUTH), c.getExtendedKeyUsage());
        assertTrue(c.getKeyUsage()[0]);
        assertEquals("DNS:b24bridge.corp.example, IP:10.0.0.9", SubjectAltNames.of(c).toString());
        assertEquals(java.util.Arrays.toString(PkiTest.ski(ca)), java.util.Arrays.toString(PkiTest.aki(c)));
        long days = java.time.Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays();
        assertEquals(90, days);
        assertTrue(r.out().contains("usage       [serverAuth]"), r::toString);
        String log = Files.readString(lab.file("local-ca/issued.txt"));
        assertTrue(log.contains(Fingerprints.serial(c)) && log.contains(Fingerprints.sha256(c)), log);
    }

    @Test
    void refusesACsrThatAsksForTheWrongUsageAndWritesNothing() {
        Lab lab = labWithCa();
        lab.csrs("b24bridge.corp.example");
        Tool.Result r = lab.run("issue", "--role", "server", "--csr", lab.file("appliance-client.csr").toString(),
                "--out", lab.file("wrong.crt").toString(), "--ca-password-file", lab.caPass.toString());
        assertEquals(CertsTool.ERROR, r.code());
        assertTrue(r.err().contains("asks for extended key usage clientAuth, but it is being signed as a server"),
                r::toString);
        assertFalse(Files.exists(lab.file("wrong.crt")));
    }

    @Test
    void makesKeyAndCertificateDirectlyAndWarnsWhenTheKeyBelongsElsewhere() throws Exception {
        Lab lab = labWithCa();
        Tool.Result r = lab.ok("issue", "--role", "client", "--name", "box-client", "--subject",
                "CN=bitrix24 box nginx, O=Example", "--password-file", lab.storePass.toString(),
                "--ca-password-file", lab.caPass.toString());
        assertEquals("rw-------", Perms.of(lab.file("box-client.key")));
        X509Certificate c = Pem.readCertificates(lab.file("box-client.crt")).getFirst();
        assertEquals(List.of(PkiTest.CLIENT_AUTH), c.getExtendedKeyUsage());
        assertTrue(Keys.matches(Pem.readKey(lab.file("box-client.key"), lab.password()), c.getPublicKey()));
        assertTrue(r.err().contains("box-client.key belongs on another machine"), r::toString);
        assertFalse(r.all().contains("PRIVATE KEY"));
    }

    @Test
    void aWrongCaPasswordAMissingCaAndATooLongLifeAreClearErrors() throws Exception {
        Lab lab = new Lab(root);
        lab.csrs("b24bridge.corp.example");
        Tool.Result noCa = lab.run("issue", "--role", "client", "--csr", lab.file("appliance-client.csr").toString(),
                "--ca-password-file", lab.caPass.toString());
        assertTrue(noCa.err().contains("no local CA in") && noCa.err().contains("init-ca"), noCa::toString);

        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString(), "--days", "100");
        Path wrong = root.resolve("wrong.pass");
        Files.writeString(wrong, "definitely-not-it\n");
        Tool.Result badPassword = lab.run("issue", "--role", "client", "--csr",
                lab.file("appliance-client.csr").toString(), "--ca-password-file", wrong.toString());
        assertEquals(CertsTool.ERROR, badPassword.code());
        assertTrue(badPassword.err().contains("wrong password for"), badPassword::toString);
        assertTrue(badPassword.err().contains("is open to other users"), "an open password file is pointed out");

        Tool.Result tooLong = lab.run("issue", "--role", "client", "--csr", lab.file("appliance-client.csr").toString(),
                "--days", "200", "--ca-password-file", lab.caPass.toString());
        assertTrue(tooLong.err().contains("after its CA"), tooLong::toString);
        assertFalse(Files.exists(lab.file("appliance-client.crt")));

        Files.writeString(lab.file("bogus.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
        Tool.Result bogus = lab.run("issue", "--role", "client", "--csr", lab.file("bogus.csr").toString(),
                "--ca-password-file", lab.caPass.toString());
        assertTrue(bogus.err().contains("is not a certificate signing request"), bogus::toString);
    }

    @Test
    void optionsForTheOtherModeAreRefused() {
        Lab lab = labWithCa();
        lab.csrs("b24bridge.corp.example");
        Tool.Result r = lab.run("issue", "--role", "client", "--csr", lab.file("appliance-client.csr").toString(),
                "--key", "rsa3072", "--ca-password-file", lab.caPass.toString());
        assertTrue(r.err().contains("--key and --name are for a key made here"), r::toString);
    }
}
