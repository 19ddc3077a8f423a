package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;

import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsrCommandTest {

    @TempDir
    Path root;

    @Test
    void aServerCsrAsksForServerAuthAndTheNamesAndItsKeyStaysEncrypted() throws Exception {
        Lab lab = new Lab(root);
        Tool.Result r = lab.ok("csr", "--role", "server", "--dns", "b24bridge.corp.example,b24bridge",
                "--ip", "10.20.30.40", "--subject", "CN=b24bridge.corp.example, OU=IT, O=Example",
                "--key", "rsa3072", "--password-file", lab.storePass.toString());
        PKCS10CertificationRequest csr = Pem.readCsr(lab.file("appliance-server.csr"));
        assertEquals("CN=b24bridge.corp.example,OU=IT,O=Example",
                new javax.security.auth.x500.X500Principal(csr.getSubject().getEncoded()).getName());
        assertEquals(List.of(KeyPurposeId.id_kp_serverAuth),
                List.of(ExtendedKeyUsage.fromExtensions(csr.getRequestedExtensions()).getUsages()));
        SubjectAltNames names = SubjectAltNames.requestedBy(csr.getRequestedExtensions());
        assertEquals(List.of("b24bridge.corp.example", "b24bridge"), names.dnsNames());
        assertEquals(List.of("10.20.30.40"), names.ipAddresses());
        assertTrue(r.out().contains("keyEncipherment"), "an RSA server also asks for keyEncipherment: " + r);

        Path key = lab.file("appliance-server.key");
        assertEquals("rw-------", Perms.of(key));
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        PrivateKey k = Pem.readKey(key, lab.password());
        assertTrue(Keys.matches(k, new JcaPKCS10CertificationRequest(csr).getPublicKey()));
        assertFalse(r.all().contains("PRIVATE KEY"), "the key is never printed");
    }

    @Test
    void aClientCsrNeedsNoNames() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("csr", "--role", "client", "--password-file", lab.storePass.toString());
        PKCS10CertificationRequest csr = Pem.readCsr(lab.file("appliance-client.csr"));
        assertEquals(List.of(KeyPurposeId.id_kp_clientAuth),
                List.of(ExtendedKeyUsage.fromExtensions(csr.getRequestedExtensions()).getUsages()));
        assertTrue(SubjectAltNames.requestedBy(csr.getRequestedExtensions()).isEmpty());
    }

    @Test
    void refusesServerWithoutNamesAndBadNames() {
        Lab lab = new Lab(root);
        Tool.Result noNames = lab.run("csr", "--role", "server", "--password-file", lab.storePass.toString());
        assertEquals(CertsTool.ERROR, noNames.code());
        assertTrue(noNames.err().contains("needs at least one DNS name or IP address"), noNames::toString);
        Tool.Result badName = lab.run("csr", "--role", "server", "--dns", "not a name",
                "--password-file", lab.storePass.toString());
        assertTrue(badName.err().contains("'not a name' is not a DNS name"), badName::toString);
        Tool.Result badRole = lab.run("csr", "--role", "both", "--password-file", lab.storePass.toString());
        assertTrue(badRole.err().contains("'both' is not a role"), badRole::toString);
        assertFalse(Files.exists(lab.file("appliance-server.key")));
    }

    @Test
    void neverOverwritesAPendingKeyWithoutForce() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("csr", "--role", "client", "--password-file", lab.storePass.toString());
        byte[] key = Files.readAllBytes(lab.file("appliance-client.key"));
        byte[] csr = Files.readAllBytes(lab.file("appliance-client.csr"));
        Tool.Result again = lab.run("csr", "--role", "client", "--password-file", lab.storePass.toString());
        assertEquals(CertsTool.ERROR, again.code());
        assertTrue(again.err().contains("appliance-client.key already exists"), again::toString);
        assertArrayEquals(key, Files.readAllBytes(lab.file("appliance-client.key")));
        assertArrayEquals(csr, Files.readAllBytes(lab.file("appliance-client.csr")));
        lab.ok("csr", "--role", "client", "--password-file", lab.storePass.toString(), "--force");
        assertFalse(java.util.Arrays.equals(key, Files.readAllBytes(lab.file("appliance-client.key"))));
    }

    @Test
    void aNameOptionCannotLeaveTheFolder() {
        Lab lab = new Lab(root);
        Tool.Result r = lab.run("csr", "--role", "client", "--name", "../escape", "--password-file",
                lab.storePass.toString());
        assertEquals(CertsTool.ERROR, r.code());
        assertTrue(r.err().contains("is not a usable name"), r::toString);
    }
}
