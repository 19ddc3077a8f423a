package io.b24bridge.installer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Seals an unpacked bundle (manifest + signature), packs it, and checks one against a trusted key.
 *
 * <p>What a check proves depends on who runs it. The verifier inside a bundle proves nothing about that
 * bundle by itself: whoever changed the bundle could change the verifier too. It is trustworthy when it comes
 * from an installation made earlier (upgrades: the installed version checks the new bundle against the key it
 * pinned) or after the operator checked the archive with tools the operating system brings (first
 * installation; docs/operator-guide.md).
 */
public final class Bundles {

    /** The file every bundle carries: version, build time, signing key. */
    public static final String RELEASE = "RELEASE";
    /** The signer's public key, shipped for convenience: never trusted because it is there. */
    public static final String SHIPPED_KEY = "release-key.pem";
    /** Present only in bundles signed with a throw-away development key. */
    public static final String DEVELOPMENT_MARK = "DEVELOPMENT-BUILD.txt";

    private Bundles() {
    }

    /** Writes the manifest of {@code dir} and signs it. Run last: any later change breaks the seal. */
    public static void seal(Path dir, Ed25519PrivateKeyParameters key) throws IOException {
        Files.deleteIfExists(dir.resolve(Manifest.FILE));
        Files.deleteIfExists(dir.resolve(Manifest.SIGNATURE));
        byte[] manifest = Manifest.of(dir).bytes();
        Files.write(dir.resolve(Manifest.FILE), manifest);
        Files.write(dir.resolve(Manifest.SIGNATURE), ReleaseKeys.sign(key, manifest));
    }

    /**
     * Packs a sealed bundle into {@code archive} and writes beside it {@code <archive>.sha256} and its
     * signature {@code <archive>.sha256.sig}, which an operator can check with sha256sum and openssl alone.
     */
    public static void pack(Path dir, Path archive, Ed25519PrivateKeyParameters key, long mtime) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tar.write(dir, out, mtime);
        }
        byte[] sums = (Manifest.sha256(archive) + "  " + archive.getFileName() + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(archive.resolveSibling(archive.getFileName() + ".sha256"), sums);
        Files.write(archive.resolveSibling(archive.getFileName() + ".sha256.sig"), ReleaseKeys.sign(key, sums));
    }

    /** The outcome of a check: the problems found (none = good) and, when readable, the bundle's RELEASE. */
    public record Verdict(List<String> problems, Map<String, String> release) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks the unpacked bundle in {@code dir}: its manifest is signed by {@code trusted}, and the files are
     * exactly those the manifest lists, unchanged. The signature is checked first; if it fails, nothing in the
     * bundle is read any further.
     */
    public static Verdict verify(Path dir, Ed25519PublicKeyParameters trusted) {
        List<String> problems = new ArrayList<>();
        Path manifestFile = dir.resolve(Manifest.FILE);
        Path signatureFile = dir.resolve(Manifest.SIGNATURE);
        if (!Files.isRegularFile(manifestFile) || !Files.isRegularFile(signatureFile)) {
            return new Verdict(List.of("no " + Manifest.FILE + " and " + Manifest.SIGNATURE
                    + ": not a b24bridge bundle, or an unsigned one"), Map.of());
        }
        try {
            byte[] manifest = Files.readAllBytes(manifestFile);
            if (!ReleaseKeys.verify(trusted, manifest, Files.readAllBytes(signatureFile))) {
                return new Verdict(List.of("the signature of " + Manifest.FILE + " does not match the trusted release key "
                        + ReleaseKeys.fingerprint(trusted) + " (signed with another key, or the manifest was changed)"),
                        Map.of());
            }
            problems.addAll(Manifest.parse(manifest).differences(Manifest.of(dir)));
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        Map<String, String> release = problems.isEmpty() ? readRelease(dir) : Map.of();
        if (problems.isEmpty() && !release.containsKey("version")) {
            problems.add(RELEASE + " names no version");
        }
        return new Verdict(problems, release);
    }

    /** Checks a detached {@code <archive>.sha256(.sig)} pair, when the archive came with one. */
    public static Optional<String> verifyDetached(Path archive, Ed25519PublicKeyParameters trusted) throws IOException {
        Path sums = archive.resolveSibling(archive.getFileName() + ".sha256");
        Path sig = archive.resolveSibling(archive.getFileName() + ".sha256.sig");
        if (!Files.isRegularFile(sums) || !Files.isRegularFile(sig)) {
            return Optional.empty();
        }
        byte[] text = Files.readAllBytes(sums);
        if (!ReleaseKeys.verify(trusted, text, Files.readAllBytes(sig))) {
            return Optional.of(sums.getFileName() + " is not signed by the trusted release key");
        }
        String expected = new String(text, StandardCharsets.UTF_8).split("\\s+")[0];
        if (!expected.equals(Manifest.sha256(archive))) {
            return Optional.of(archive.getFileName() + " does not match its signed checksum");
        }
        return Optional.empty();
    }

    /** {@code key=value} lines of RELEASE. */
    public static Map<String, String> readRelease(Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(RELEASE), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            // no RELEASE: the caller reports it
        }
        return out;
    }
}
