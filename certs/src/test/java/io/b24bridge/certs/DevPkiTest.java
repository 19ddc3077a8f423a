package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's development PKI, now made with the tool's library: same files, same behaviour. */
class DevPkiTest {

    @TempDir
    Path root;

    @Test
    void makesTheFilesOnceAndTheyPassVerifyAndAHandshake() throws Exception {
        DevPki.Files pki = DevPki.ensure(root.resolve("tls"), List.of("localhost", "127.0.0.1"));
        for (Path p : List.of(pki.caPem(), pki.trustStore(), pki.applianceServer(), pki.applianceClient(),
                pki.boxServer(), pki.boxClient(), pki.passwordFile())) {
            assertTrue(Files.exists(p), p.toString());
        }
        assertEquals("rw-------", Perms.of(pki.applianceServer()));
        assertEquals(32, pki.password().length);

        byte[] before = Files.readAllBytes(pki.applianceServer());
        DevPki.Files again = DevPki.ensure(root.resolve("tls"), List.of("localhost"));
        assertEquals(pki, again);
        assertArrayEquals(before, Files.readAllBytes(pki.applianceServer()), "reused as is");

        Tool.Result v = Tool.run("verify", "--dir", pki.dir().toString(), "--host", "localhost", "--host", "127.0.0.1");
        assertEquals(0, v.code(), v::toString);
        for (var role : List.of(new Object[] {pki.boxServer(), "server"}, new Object[] {pki.boxClient(), "client"})) {
            Tool.Result box = Tool.run("verify", "--dir", pki.dir().toString(), "--keystore", role[0].toString(),
                    "--role", (String) role[1], "--host", "localhost");
            assertEquals(0, box.code(), box::toString);
        }

        // the box emulator's server and the appliance's client; the appliance's server and the box's client
        assertTrue(Handshake.run(pki.boxServer(), pki.trustStore(), pki.applianceClient(), pki.trustStore(),
                pki.password(), "localhost").ok());
        assertTrue(Handshake.run(pki.applianceServer(), pki.trustStore(), pki.boxClient(), pki.trustStore(),
                pki.password(), "127.0.0.1").ok());
    }

    @Test
    void aForeignClientIsRefused() throws Exception {
        DevPki.Files pki = DevPki.ensure(root.resolve("tls"), List.of("localhost"));
        Path foreign = DevPki.foreignClient(root.resolve("foreign"), pki.password());
        Handshake.Outcome o = Handshake.run(pki.applianceServer(), pki.trustStore(), foreign, pki.trustStore(),
                pki.password(), "localhost");
        assertFalse(o.ok(), o::toString);
        assertNotNull(o.serverError());
    }
}
