package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx on the box reads these files through OpenSSL: the encrypted keys, the keystores, and the CA files of
 * nginx/, with OpenSSL's own purpose checks. Skipped where no openssl binary is installed.
 */
class OpenSslInteropTest {

    @TempDir
    static Path root;
    static Lab lab;

    @BeforeAll
    static void setUp() {
        assumeTrue(run("openssl", "version").code == 0, "openssl is not installed");
        lab = new Lab(root).localCa("b24bridge.corp.example");
    }

    @Test
    void openSslReadsTheEncryptedKeyAndTheKeystores() {
        Exec key = run("openssl", "pkey", "-in", lab.file("appliance-server.key").toString(), "-passin",
                "file:" + lab.storePass, "-noout");
        assertEquals(0, key.code, key.out);
        Exec wrong = run("openssl", "pkey", "-in", lab.file("appliance-server.key").toString(), "-passin",
                "pass:wrong-password", "-noout");
        assertNotEquals(0, wrong.code, "the key really is encrypted");
        Exec p12 = run("openssl", "pkcs12", "-in", lab.file("appliance-client.p12").toString(), "-passin",
                "file:" + lab.file("store.pass"), "-nokeys", "-noout");
        assertEquals(0, p12.code, p12.out);
    }

    @Test
    void openSslAcceptsEachCertificateForItsPurposeOnlyAgainstTheNginxFiles() {
        Exec server = verify("sslserver", "nginx/appliance-server-ca.pem", "appliance-server.crt");
        assertEquals(0, server.code, server.out);
        Exec client = verify("sslclient", "nginx/appliance-client-ca.pem", "appliance-client.crt");
        assertEquals(0, client.code, client.out);
        Exec swapped = verify("sslclient", "nginx/appliance-client-ca.pem", "appliance-server.crt");
        assertNotEquals(0, swapped.code, swapped.out);
        assertTrue(swapped.out.contains("certificate purpose"), swapped.out);
    }

    @Test
    void serialsAndFingerprintsArePrintedAsOpenSslPrintsThem() {
        X509Certificate c = Pem.readCertificates(lab.file("appliance-client.crt")).getFirst();
        Exec serial = run("openssl", "x509", "-noout", "-serial", "-fingerprint", "-sha256", "-in",
                lab.file("appliance-client.crt").toString());
        assertEquals(0, serial.code, serial.out);
        assertTrue(serial.out.contains("serial=" + Fingerprints.serial(c)), serial.out);
        assertTrue(serial.out.contains("=" + Fingerprints.sha256(c)), serial.out);
    }

    private static Exec verify(String purpose, String caFile, String cert) {
        return run("openssl", "verify", "-purpose", purpose, "-x509_strict", "-CAfile", lab.file(caFile).toString(),
                lab.file(cert).toString());
    }

    record Exec(int code, String out) {
    }

    private static Exec run(String... cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(-1, out);
            }
            return new Exec(p.exitValue(), out);
        } catch (IOException e) {
            return new Exec(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(-1, e.toString());
        }
    }
}
