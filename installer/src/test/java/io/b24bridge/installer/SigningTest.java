package io.b24bridge.installer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The seal of a bundle: what it accepts, and every way of tampering it must refuse. */
class SigningTest {

    @TempDir
    Path tmp;
    Path bundle;
    Ed25519PrivateKeyParameters key;

    @BeforeEach
    void bundle() throws IOException {
        bundle = tmp.resolve("b24bridge-1.0");
        Files.createDirectories(bundle.resolve("bin"));
        Files.writeString(bundle.resolve("RELEASE"), "version=1.0\nsigning.key.kind=release\n");
        Files.writeString(bundle.resolve("bin/b24bridge"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(bundle.resolve("bin/b24bridge"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(bundle.resolve("app.jar"), "jar bytes");
        key = ReleaseKeys.generate();
        Bundles.seal(bundle, key);
    }

    @Test
    void aSealedBundleVerifiesWithItsKey() {
        Bundles.Verdict v = Bundles.verify(bundle, key.generatePublicKey());
        assertTrue(v.ok(), v.problems().toString());
        assertEquals("1.0", v.release().get("version"));
    }

    @Test
    void aChangedFileIsRefused() throws IOException {
        Files.writeString(bundle.resolve("app.jar"), "evil bytes");
        assertEquals("[changed: app.jar]", Bundles.verify(bundle, key.generatePublicKey()).problems().toString());
    }

    @Test
    void anAddedOrRemovedFileIsRefused() throws IOException {
        Files.writeString(bundle.resolve("bin/extra"), "x");
        Files.delete(bundle.resolve("app.jar"));
        assertEquals("[missing: app.jar, not in the manifest: bin/extra]",
                Bundles.verify(bundle, key.generatePublicKey()).problems().toString());
    }

    @Test
    void aChangedManifestIsRefused() throws IOException {
        Files.writeString(bundle.resolve("app.jar"), "evil bytes");
        String manifest = Files.readString(bundle.resolve(Manifest.FILE));
        Files.writeString(bundle.resolve(Manifest.FILE), manifest.replaceFirst("[0-9a-f]{64}  app.jar",
                Manifest.sha256(bundle.resolve("app.jar")) + "  app.jar"));
        String problems = Bundles.verify(bundle, key.generatePublicKey()).problems().toString();
        assertTrue(problems.contains("signature of MANIFEST.sha256 does not match"), problems);
    }

    @Test
    void anotherKeyIsRefused() throws IOException {
        Bundles.seal(bundle, ReleaseKeys.generate()); // a re-sealed bundle: consistent, but not ours
        String problems = Bundles.verify(bundle, key.generatePublicKey()).problems().toString();
        assertTrue(problems.contains("does not match the trusted release key"), problems);
    }

    @Test
    void linksAndSetuidFilesAreRefused() throws IOException {
        Files.createSymbolicLink(bundle.resolve("shadow"), Path.of("/etc/shadow"));
        String problems = Bundles.verify(bundle, key.generatePublicKey()).problems().toString();
        assertTrue(problems.contains("shadow is a symbolic link"), problems);
        Files.delete(bundle.resolve("shadow"));
        Files.setAttribute(bundle.resolve("bin/b24bridge"), "unix:mode", 04755);
        problems = Bundles.verify(bundle, key.generatePublicKey()).problems().toString();
        assertTrue(problems.contains("setuid"), problems);
    }

    @Test
    void keysSurviveTheirPemFilesAndTheFingerprintIsTheDerHash() throws Exception {
        ReleaseKeys.writePrivate(tmp.resolve("k.pem"), key);
        ReleaseKeys.writePublic(tmp.resolve("k.pub"), key.generatePublicKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("k.pem"))));
        assertTrue(Bundles.verify(bundle, ReleaseKeys.readPublic(tmp.resolve("k.pub"))).ok());
        assertTrue(Bundles.verify(bundle, ReleaseKeys.readPrivate(tmp.resolve("k.pem")).generatePublicKey()).ok());
        byte[] der = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded();
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        assertEquals("SHA256:" + hex, ReleaseKeys.fingerprint(key.generatePublicKey()));
        assertTrue(ReleaseKeys.sameFingerprint(hex.toUpperCase(), key.generatePublicKey()));
        assertFalse(ReleaseKeys.sameFingerprint("SHA256:00", key.generatePublicKey()));
    }

    @Test
    void aPackedBundleUnpacksToTheSameVerifiedFiles() throws IOException {
        Path archive = tmp.resolve("b.tar");
        Bundles.pack(bundle, archive, key, 1_700_000_000L);
        assertTrue(Bundles.verifyDetached(archive, key.generatePublicKey()).isEmpty());
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path unpacked = Tar.unpack(Files.newInputStream(archive), out);
        assertTrue(Bundles.verify(unpacked, key.generatePublicKey()).ok());
        assertTrue(Files.isExecutable(unpacked.resolve("bin/b24bridge")));

        Files.write(archive, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals("b.tar does not match its signed checksum",
                Bundles.verifyDetached(archive, key.generatePublicKey()).orElseThrow());
    }

    @Test
    void longNamesRoundTripThroughGnuTar() throws Exception {
        Path deep = bundle.resolve("runtime/legal/java.management/some/very/long/folder/name/that/goes/on/and/on");
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("LICENSE-with-a-long-name-too.txt"), "text");
        Bundles.seal(bundle, key);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        Tar.write(bundle, tar, 1_700_000_000L);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")));
        Path archive = tmp.resolve("long.tar");
        Files.write(archive, tar.toByteArray());
        Path gnu = Files.createDirectory(tmp.resolve("gnu"));
        Process p = new ProcessBuilder("tar", "xf", archive.toString(), "-C", gnu.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Manifest.of(gnu.resolve("b24bridge-1.0")); // readable
        assertEquals("text", Files.readString(gnu.resolve("b24bridge-1.0").resolve(bundle.relativize(deep))
                .resolve("LICENSE-with-a-long-name-too.txt")));
        // and GNU tar's own format (long names as 'L' entries) reads back with ours
        Path gnuTar = tmp.resolve("gnu.tar");
        p = new ProcessBuilder("tar", "cf", gnuTar.toString(), "--format=gnu", "-C", gnu.toString(), "b24bridge-1.0")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Path back = Tar.unpack(Files.newInputStream(gnuTar), Files.createDirectory(tmp.resolve("back")));
        assertTrue(Bundles.verify(back, key.generatePublicKey()).ok());
    }

    @Test
    void unpackingRefusesLinksAndEscapes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")));
        Path src = Files.createDirectories(tmp.resolve("src/b"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("/etc"));
        Path withLink = tmp.resolve("link.tar");
        assertEquals(0, new ProcessBuilder("tar", "cf", withLink.toString(), "-C", tmp.resolve("src").toString(), "b")
                .inheritIO().start().waitFor());
        IOException e = assertThrows(IOException.class,
                () -> Tar.unpack(Files.newInputStream(withLink), Files.createDirectory(tmp.resolve("x1"))));
        assertTrue(e.getMessage().contains("link or special file"), e.getMessage());

        // a hand-made header naming b/../../evil
        byte[] header = new byte[1024];
        System.arraycopy("b/../../evil".getBytes(), 0, header, 0, 12);
        header[156] = '0';
        System.arraycopy("0000644\0".getBytes(), 0, header, 100, 8);
        System.arraycopy("00000000000\0".getBytes(), 0, header, 124, 12);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += header[i] & 0xff;
        }
        System.arraycopy(String.format("%06o\0 ", sum).getBytes(), 0, header, 148, 8);
        byte[] tar = new byte[512 * 4];
        System.arraycopy(header, 0, tar, 0, 512);
        e = assertThrows(IOException.class,
                () -> Tar.unpack(new ByteArrayInputStream(tar), Files.createDirectory(tmp.resolve("x2"))));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void aDamagedOrCutArchiveIsRefused() throws Exception {
        Files.write(bundle.resolve("big.jar"), new byte[64 * 1024]);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        Tar.write(bundle, packed, 1_700_000_000L);
        byte[] tar = packed.toByteArray();

        byte[] damaged = tar.clone();
        damaged[10] ^= 0x55; // inside the first header's name: its checksum no longer matches
        IOException e = assertThrows(IOException.class,
                () -> Tar.unpack(new ByteArrayInputStream(damaged), Files.createDirectory(tmp.resolve("d1"))));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());

        // ends inside the big file's content (a cut between entries is the detached checksum's to catch: the
        // installer checks it before it unpacks anything)
        byte[] cut = Arrays.copyOf(tar, indexOf(tar, "big.jar") + 512 + 32 * 1024);
        assertThrows(IOException.class,
                () -> Tar.unpack(new ByteArrayInputStream(cut), Files.createDirectory(tmp.resolve("d2"))));
    }

    @Test
    void twoTopFoldersOrTheSameFileTwiceAreRefused() throws Exception {
        Path two = Files.createDirectories(tmp.resolve("two"));
        Files.createDirectories(two.resolve("a"));
        Files.createDirectories(two.resolve("b"));
        Files.writeString(two.resolve("a/x"), "x");
        Files.writeString(two.resolve("b/y"), "y");
        Path archive = tmp.resolve("two.tar");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")));
        assertEquals(0, new ProcessBuilder("tar", "cf", archive.toString(), "-C", two.toString(), "a", "b")
                .inheritIO().start().waitFor());
        IOException e = assertThrows(IOException.class,
                () -> Tar.unpack(Files.newInputStream(archive), Files.createDirectory(tmp.resolve("d3"))));
        assertTrue(e.getMessage().contains("outside the bundle's folder"), e.getMessage());

        Path twice = tmp.resolve("twice.tar");
        assertEquals(0, new ProcessBuilder("tar", "cf", twice.toString(), "-C", two.toString(), "a", "a/x")
                .inheritIO().start().waitFor());
        assertThrows(IOException.class,
                () -> Tar.unpack(Files.newInputStream(twice), Files.createDirectory(tmp.resolve("d4"))),
                "a/x named twice: refused rather than overwritten");
    }

    /** Where {@code text} first appears in {@code bytes}. */
    private static int indexOf(byte[] bytes, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= bytes.length - t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (bytes[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " is not in the archive");
    }
}
