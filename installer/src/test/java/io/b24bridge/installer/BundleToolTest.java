package io.b24bridge.installer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installer tool's command line as install.sh and upgrade.sh use it: exit status and what it says. */
class BundleToolTest {

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return BundleTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWrongCommandLineIsTwoAndSaysWhy() {
        assertEquals(2, run());
        assertTrue(err().contains("Usage: b24bridge-installer"), err());
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("frobnicate"), err());
        assertEquals(2, run("unpack", "--archive", "a.tar"));
        assertTrue(err().contains("--into") && err().contains("--trust-key"), err());
        assertEquals(2, run("verify", "--bundle", tmp.toString()));
        assertTrue(err().contains("no trusted key: give --trust-key FILE"), err());
    }

    @Test
    void aKeyIsMadeAndItsFingerprintReadBack() throws Exception {
        assertEquals(0, run("keygen", "--out", tmp.resolve("keys").toString()));
        assertTrue(Files.isRegularFile(tmp.resolve("keys/release-signing-key.pem")));
        assertEquals(0, run("fingerprint", "--key", tmp.resolve("keys/release-key.pem").toString()));
        Ed25519PrivateKeyParameters key = ReleaseKeys.readPrivate(tmp.resolve("keys/release-signing-key.pem"));
        assertEquals(ReleaseKeys.fingerprint(key.generatePublicKey()), out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(1, run("keygen", "--out", tmp.resolve("keys").toString()), "never overwrites a signing key");
        assertTrue(err().contains("refusing to overwrite"), err());
    }

    @Test
    void eachCommandHasItsHelp() {
        assertEquals(0, run("wait-healthy", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--config=FILE") && help.contains("--expect-version=V"), help);
    }
}
