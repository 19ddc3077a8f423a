package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates made by the tool's commands (init-ca → csr → issue → bundle) in real TLS handshakes with client
 * authentication: accepted as made; refused when expired, used in the wrong role, from another CA, or for
 * another host — and {@code verify} says so for each before a handshake ever fails.
 */
class TlsRoundTripTest {

    @TempDir
    static Path root;

    /** The appliance's folder: a local CA, server and client keystores for localhost/127.0.0.1. */
    static Lab lab;
    /** Keystores made 400 days ago by the same CA with 30-day certificates: expired now. */
    static Lab expired;
    /** A folder with a CA of its own. */
    static Lab other;

    @BeforeAll
    static void makeCertificates() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(400)), ZoneOffset.UTC);
        lab = new Lab(root.resolve("appliance"));
        // the CA is made in the past too, so that it could sign then; 10 years, so it is valid now
        lab.at(past).ok("init-ca", "--ca-password-file", lab.caPass.toString(), "--subject", "CN=Lab CA, O=Example");
        lab.csrs("localhost", "127.0.0.1");
        lab.signCsrs();
        lab.bundle();

        expired = new Lab(root.resolve("expired"), past);
        expired.ok("import-ca", "--file", lab.file("local-ca/ca.crt").toString(),
                "--password-file", expired.storePass.toString());
        expired.csrs("localhost");
        for (String role : new String[] {"server", "client"}) {
            expired.ok("issue", "--role", role, "--csr", expired.file("appliance-" + role + ".csr").toString(),
                    "--ca-dir", lab.file("local-ca").toString(), "--ca-password-file", lab.caPass.toString(),
                    "--days", "30");
        }
        expired.bundle();

        other = new Lab(root.resolve("other")).localCa("localhost");
    }

    private static Handshake.Outcome handshake(Path serverKeyStore, Path clientKeyStore, String host) throws Exception {
        // both sides trust the appliance's CA (the appliance's trust.p12), as in one corporate PKI
        Path trust = lab.file("trust.p12");
        return Handshake.run(serverKeyStore, trust, clientKeyStore, trust, lab.password(), host);
    }

    @Test
    void certificatesMadeByTheToolAreAcceptedInMutualTls() throws Exception {
        Handshake.Outcome byName = handshake(lab.file("appliance-server.p12"), lab.file("appliance-client.p12"),
                "localhost");
        assertTrue(byName.ok(), byName::toString);
        Handshake.Outcome byAddress = handshake(lab.file("appliance-server.p12"), lab.file("appliance-client.p12"),
                "127.0.0.1");
        assertTrue(byAddress.ok(), byAddress::toString);

        Tool.Result v = lab.run("verify", "--host", "localhost", "--host", "127.0.0.1");
        assertEquals(0, v.code(), v::toString);
        assertFalse(v.out().contains("FAIL"), v::toString);
    }

    @Test
    void anExpiredClientCertificateIsRefusedByTheServer() throws Exception {
        Handshake.Outcome o = handshake(lab.file("appliance-server.p12"), expired.file("appliance-client.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.serverError(), o::toString);

        Tool.Result v = lab.run("verify", "--keystore", expired.file("appliance-client.p12").toString(),
                "--role", "client");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("FAIL  appliance-client.p12: expired on"), v::toString);
    }

    @Test
    void anExpiredServerCertificateIsRefusedByTheClient() throws Exception {
        Handshake.Outcome o = handshake(expired.file("appliance-server.p12"), lab.file("appliance-client.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.clientError(), o::toString);

        Tool.Result v = lab.run("verify", "--keystore", expired.file("appliance-server.p12").toString(),
                "--role", "server", "--host", "localhost");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("expired on"), v::toString);
    }

    @Test
    void aServerCertificateUsedAsClientCertificateIsRefused() throws Exception {
        Handshake.Outcome o = handshake(lab.file("appliance-server.p12"), lab.file("appliance-server.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.serverError(), o::toString);
        assertTrue(o.serverError().contains("xtended key usage"), o::toString);

        Tool.Result v = lab.run("verify", "--keystore", lab.file("appliance-server.p12").toString(), "--role", "client");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("FAIL  appliance-server.p12: extended key usage serverAuth does not allow the"
                + " client role"), v::toString);
    }

    @Test
    void aClientCertificateUsedAsServerCertificateIsRefused() throws Exception {
        Handshake.Outcome o = handshake(lab.file("appliance-client.p12"), lab.file("appliance-client.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.clientError(), o::toString);

        Tool.Result v = lab.run("verify", "--keystore", lab.file("appliance-client.p12").toString(), "--role", "server");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("does not allow the server role"), v::toString);
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        Handshake.Outcome o = handshake(lab.file("appliance-server.p12"), other.file("appliance-client.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.serverError(), o::toString);

        Tool.Result v = lab.run("verify", "--keystore", other.file("appliance-client.p12").toString(), "--role", "client");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("no trusted CA signs 'CN=b24bridge appliance client'"), v::toString);
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        Handshake.Outcome o = handshake(other.file("appliance-server.p12"), lab.file("appliance-client.p12"),
                "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.clientError(), o::toString);
    }

    @Test
    void aServerCertificateForAnotherHostIsRefused() throws Exception {
        Handshake.Outcome o = handshake(lab.file("appliance-server.p12"), lab.file("appliance-client.p12"),
                "b24bridge.other.example");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.clientError(), o::toString);

        Tool.Result v = lab.run("verify", "--host", "b24bridge.other.example");
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("does not cover host b24bridge.other.example"), v::toString);
    }
}
