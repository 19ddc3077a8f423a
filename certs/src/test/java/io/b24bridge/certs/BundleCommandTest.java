package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {

    @TempDir
    Path root;

    @Test
    void laysDownTheApplianceFilesTheNginxFilesAndPrintsTheConfiguration() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString());
        lab.csrs("b24bridge.corp.example");
        lab.signCsrs();
        Tool.Result r = lab.ok("bundle", "--password-file", lab.storePass.toString(), "--config-dir", "/etc/b24bridge/tls");

        for (String f : List.of("appliance-server.p12", "appliance-client.p12", "trust.p12", "store.pass")) {
            assertEquals("rw-------", Perms.of(lab.file(f)), f);
        }
        assertEquals(Lab.STORE_PASSWORD, Files.readString(lab.file("store.pass")).strip());
        X509Certificate ca = Pem.readCertificates(lab.file("ca.pem")).getFirst();
        Stores.Entry server = Stores.readKey(lab.file("appliance-server.p12"), lab.password(), Optional.empty());
        assertEquals("appliance-server", server.alias());
        assertEquals(1, server.keyAndChain().chain().size(), "a self-signed root is not sent along");
        assertEquals(List.of(ca), Stores.readTrusted(lab.file("trust.p12"), lab.password()));
        assertEquals(List.of(ca), Pem.readCertificates(lab.file("nginx/appliance-client-ca.pem")));
        assertEquals(List.of(ca), Pem.readCertificates(lab.file("nginx/appliance-server-ca.pem")));

        assertTrue(r.out().contains("keystore: /etc/b24bridge/tls/appliance-server.p12"), r::toString);
        assertTrue(r.out().contains("keystore-password-file: /etc/b24bridge/tls/store.pass"), r::toString);
        assertTrue(r.out().contains("bitrix24:\n  tls:\n    keystore: /etc/b24bridge/tls/appliance-client.p12"), r::toString);
        assertTrue(r.out().contains("ssl_verify_client      on;"), r::toString);
        assertTrue(r.out().contains("proxy_ssl_name                b24bridge.corp.example;"), r::toString);
        assertTrue(r.out().contains("if ($ssl_client_s_dn != \"CN=b24bridge appliance client\")"), r::toString);
        assertFalse(r.all().contains("PRIVATE KEY"));
        try (var files = Files.list(lab.file("nginx"))) {
            for (Path p : files.toList()) {
                assertFalse(Files.readString(p).contains("PRIVATE KEY"), "no key goes to the box: " + p);
            }
        }
    }

    @Test
    void aCorporateChainWithAnIntermediateEndsUpInTheKeystore() throws Exception {
        Lab lab = new Lab(root);
        Path rootFile = root.resolve("corp-root.pem");
        Files.writeString(rootFile, Pem.encode(ImportCaCommandTest.ROOT.certificate()));
        lab.ok("import-ca", "--file", rootFile.toString(), "--password-file", lab.storePass.toString());
        lab.csrs("b24bridge.corp.example");
        // the corporate PKI signs; the server certificate comes back with its chain, the client's alone
        X509Certificate server = Pki.sign(ImportCaCommandTest.ISSUING, Pem.readCsr(lab.file("appliance-server.csr")),
                SignOptions.of(Role.SERVER, Validity.days(60)));
        X509Certificate client = Pki.sign(ImportCaCommandTest.ISSUING, Pem.readCsr(lab.file("appliance-client.csr")),
                SignOptions.of(Role.CLIENT, Validity.days(60)));
        Files.writeString(root.resolve("server-fullchain.pem"), Pem.encode(List.of(server,
                ImportCaCommandTest.ISSUING.certificate())));
        Files.write(root.resolve("client.der"), client.getEncoded());
        Files.writeString(root.resolve("issuing.pem"), Pem.encode(ImportCaCommandTest.ISSUING.certificate()));

        Tool.Result missing = lab.run("bundle", "--password-file", lab.storePass.toString(),
                "--server-cert", root.resolve("server-fullchain.pem").toString(),
                "--client-cert", root.resolve("client.der").toString());
        assertEquals(CertsTool.ERROR, missing.code());
        assertTrue(missing.err().contains("does not chain to a CA in ca.pem")
                && missing.err().contains("--chain FILE"), missing::toString);

        lab.ok("bundle", "--password-file", lab.storePass.toString(),
                "--server-cert", root.resolve("server-fullchain.pem").toString(),
                "--client-cert", root.resolve("client.der").toString(),
                "--chain", root.resolve("issuing.pem").toString());
        List<X509Certificate> chain = Stores.readKey(lab.file("appliance-server.p12"), lab.password(), Optional.empty())
                .keyAndChain().chain();
        assertEquals(List.of(server, ImportCaCommandTest.ISSUING.certificate()), chain);
        assertEquals(List.of(ImportCaCommandTest.ISSUING.certificate(), ImportCaCommandTest.ROOT.certificate()),
                Pem.readCertificates(lab.file("nginx/appliance-client-ca.pem")), "nginx gets the whole CA chain");
        assertEquals(0, lab.run("verify", "--host", "b24bridge.corp.example").code());
    }

    @Test
    void refusesCertificatesThatDoNotFitAndWritesNothing() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString());
        lab.csrs("b24bridge.corp.example");

        Tool.Result noCert = lab.run("bundle", "--password-file", lab.storePass.toString());
        assertTrue(noCert.err().contains("has no certificate yet"), noCert::toString);

        lab.signCsrs();
        Tool.Result swapped = lab.run("bundle", "--password-file", lab.storePass.toString(),
                "--server-cert", lab.file("appliance-client.crt").toString());
        assertTrue(swapped.err().contains("no certificate in") && swapped.err().contains("belongs to the key"),
                swapped::toString);

        // a client certificate for the server key: right key, wrong usage (issue would refuse to make it)
        LocalCa ca = new CaDir(lab.file("local-ca")).load(Lab.CA_PASSWORD.toCharArray());
        var csr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(
                Pem.readCsr(lab.file("appliance-server.csr")));
        X509Certificate serverAsClient = Certificates.leaf(ca, csr.getSubject(), csr.getPublicKey(), Role.CLIENT,
                SubjectAltNames.of(List.of("b24bridge.corp.example")), Validity.days(5), new java.security.SecureRandom());
        Files.writeString(lab.file("server-as-client.crt"), Pem.encode(serverAsClient));
        Tool.Result wrongUsage = lab.run("bundle", "--password-file", lab.storePass.toString(),
                "--server-cert", lab.file("server-as-client.crt").toString());
        assertTrue(wrongUsage.err().contains("does not allow the server role"), wrongUsage::toString);

        Path wrong = root.resolve("wrong.pass");
        Files.writeString(wrong, "not-the-store-password\n");
        Tool.Result badPassword = lab.run("bundle", "--password-file", wrong.toString());
        assertTrue(badPassword.err().contains("wrong password for") && badPassword.err().contains("appliance-server.key"),
                badPassword::toString);

        assertFalse(Files.exists(lab.file("appliance-server.p12")));
        assertFalse(Files.exists(lab.file("trust.p12")));
        assertFalse(Files.exists(lab.file("store.pass")));
    }

    @Test
    void neverReplacesKeystoresOrAnotherPasswordWithoutForce() throws Exception {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        byte[] before = Files.readAllBytes(lab.file("appliance-server.p12"));
        Tool.Result again = lab.run("bundle", "--password-file", lab.storePass.toString());
        assertEquals(CertsTool.ERROR, again.code());
        assertTrue(again.err().contains("appliance-server.p12 already exists"), again::toString);
        assertArrayEquals(before, Files.readAllBytes(lab.file("appliance-server.p12")));
        lab.ok("bundle", "--password-file", lab.storePass.toString(), "--force");
    }

    @Test
    void withoutAPasswordFileItAsksTwiceAndWritesStorePass() throws Exception {
        Lab lab = new Lab(root);
        lab.ok("init-ca", "--ca-password-file", lab.caPass.toString());
        lab.csrs("b24bridge.corp.example");
        lab.signCsrs();
        Tool.ScriptedPrompt prompt = new Tool.ScriptedPrompt(Lab.STORE_PASSWORD, Lab.STORE_PASSWORD);
        Tool.Result r = Tool.run(Clock.systemUTC(), prompt, "bundle", "--dir", lab.dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(2, prompt.questions.size());
        assertEquals(Lab.STORE_PASSWORD, Files.readString(lab.file("store.pass")).strip());
        // from now on store.pass is the default: no more questions
        Tool.ScriptedPrompt none = new Tool.ScriptedPrompt();
        assertEquals(0, Tool.run(Clock.systemUTC(), none, "verify", "--dir", lab.dir.toString()).code());
        assertTrue(none.questions.isEmpty());
    }

    @Test
    void theLibraryWritesTheSameLayout() throws Exception {
        LocalCa ca = Pki.initCa(CaSpec.of("CN=Library CA"));
        KeyAndChain server = Pki.issue(ca, LeafSpec.server("CN=appliance", SubjectAltNames.of(List.of("localhost"))),
                Validity.days(10));
        KeyAndChain client = Pki.issue(ca, LeafSpec.client("CN=appliance client"), Validity.days(10));
        char[] password = "library-password".toCharArray();
        Bundle.Layout files = Bundle.write(root.resolve("tls"), password, server, client, List.of(ca.certificate()));
        assertEquals(root.resolve("tls/appliance-server.p12"), files.serverKeyStore());
        assertTrue(Files.exists(files.clientKeyStore()) && Files.exists(files.trustStore())
                && Files.exists(files.passwordFile()) && Files.exists(files.clientCaPem()));
        Verifier v = new Verifier(java.time.Instant.now(), 5);
        List<X509Certificate> anchors = new java.util.ArrayList<>();
        assertTrue(v.trustStore(files.trustStore(), password, anchors).stream()
                .allMatch(f -> f.status() == Finding.Status.PASS));
        assertTrue(v.keyStore(files.serverKeyStore(), password, Optional.empty(), Role.SERVER, anchors,
                List.of("localhost")).stream().allMatch(f -> f.status() == Finding.Status.PASS));
    }
}
