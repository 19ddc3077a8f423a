package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's lines for cases the handshake test does not cover. */
class VerifyCommandTest {

    @TempDir
    Path root;

    @Test
    void aGoodFolderPassesWithOneLinePerCheck() {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example", "10.0.0.5");
        Tool.Result r = lab.ok("verify", "--host", "b24bridge.corp.example", "--host", "10.0.0.5");
        for (String line : List.of(
                "PASS  trust.p12: opens; trusts 'CN=Lab CA,O=Example'",
                "PASS  appliance-server.p12: the private key matches the certificate",
                "PASS  appliance-server.p12: extended key usage serverAuth fits the server role",
                "PASS  appliance-server.p12: covers host 10.0.0.5",
                "PASS  appliance-server.p12: chains to the trusted CA 'CN=Lab CA,O=Example'",
                "PASS  appliance-client.p12: extended key usage clientAuth fits the client role",
                "verify: OK")) {
            assertTrue(r.out().contains(line), line + " in\n" + r);
        }
    }

    @Test
    void withoutHostsItWarnsAndNamesWhatTheCertificateCovers() {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        Tool.Result r = lab.ok("verify");
        assertTrue(r.out().contains("WARN  appliance-server.p12: host names not checked (give --host): the certificate"
                + " names DNS:b24bridge.corp.example"), r::toString);
    }

    @Test
    void aCertificateNearItsEndIsAWarningNotAFailure() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(390)), ZoneOffset.UTC);
        Lab lab = new Lab(root, past).localCa("b24bridge.corp.example");
        Tool.Result r = lab.at(Clock.systemUTC()).ok("verify", "--days", "30");
        assertTrue(r.out().contains("WARN  appliance-server.p12: expires in 6 days")
                || r.out().contains("WARN  appliance-server.p12: expires in 7 days"), r::toString);
    }

    @Test
    void aWrongPasswordAKeyThatIsNotTheCertificatesAndAMissingKeystoreFail() throws Exception {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        Path wrong = root.resolve("wrong.pass");
        Files.writeString(wrong, "not-the-store-password\n");
        Tool.Result badPassword = lab.run("verify", "--password-file", wrong.toString());
        assertEquals(CertsTool.CHECK_FAILED, badPassword.code());
        assertTrue(badPassword.out().contains("FAIL  trust.p12: wrong password for"), badPassword::toString);

        // a keystore whose key is not the certificate's: a mistake a hand-made keystore can hold
        KeyAndChain good = Stores.readKey(lab.file("appliance-server.p12"), lab.password(), java.util.Optional.empty())
                .keyAndChain();
        KeyAndChain stranger = Pki.issue(Pki.initCa(CaSpec.of("CN=x")), LeafSpec.client("CN=y"), Validity.days(2));
        Path mixed = root.resolve("mixed.p12");
        Stores.writeKeyStore(mixed, "mixed", new KeyAndChain(stranger.key(), good.chain()), lab.password());
        Tool.Result mismatch = lab.run("verify", "--keystore", mixed.toString(), "--role", "server");
        assertEquals(CertsTool.CHECK_FAILED, mismatch.code());
        assertTrue(mismatch.out().contains("FAIL  mixed.p12: the private key does not belong to the certificate"),
                mismatch::toString);

        Tool.Result none = lab.run("verify", "--keystore", root.resolve("none.p12").toString(), "--role", "server");
        assertTrue(none.out().contains("none.p12 does not exist"), none::toString);
        Tool.Result notAStore = lab.run("verify", "--keystore", lab.file("ca.pem").toString(), "--role", "server");
        assertTrue(notAStore.out().contains("is not a PKCS#12 keystore"), notAStore::toString);
    }

    @Test
    void aTrustStoreBehindCaPemIsPointedOut() throws Exception {
        Lab lab = new Lab(root).localCa("b24bridge.corp.example");
        Path extra = root.resolve("extra.pem");
        Files.writeString(extra, Pem.encode(Pki.initCa(CaSpec.of("CN=Added Later")).certificate()));
        Files.writeString(lab.file("ca.pem"), Files.readString(lab.file("ca.pem")) + Files.readString(extra));
        Tool.Result r = lab.ok("verify");
        assertTrue(r.out().contains("WARN  ca.pem lists 'CN=Added Later', which trust.p12 lacks"), r::toString);
    }
}
