package io.b24bridge.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.doctor.AdminProbe;

/**
 * The installer's Java side, called by install.sh / upgrade.sh with the bundled runtime:
 * <pre>
 *   verify  --bundle DIR (--trust-key FILE | --trust-fingerprint SHA256:HEX)
 *   unpack  --archive TAR --into DIR --trust-key FILE     (checks, unpacks safely, verifies; prints the bundle folder)
 *   wait-healthy --config FILE --timeout SECONDS [--expect-version V] [--pid-file FILE]
 *   keygen  --out DIR                                      (a release key pair)
 *   sign    --bundle DIR --key FILE                        (re-seal an unpacked bundle)
 *   fingerprint --key FILE
 * </pre>
 * Exit status 0 when good, 1 when refused or failed, 2 for a wrong command line.
 */
public final class BundleTool {

    private BundleTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: BundleTool verify|unpack|wait-healthy|keygen|sign|fingerprint [options]");
            return 2;
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("b24bridge-installer: option " + args[i] + " needs a value");
                return 2;
            }
            o.put(args[i].substring(2), args[++i]);
        }
        try {
            return switch (args[0]) {
                case "verify" -> verify(Path.of(need(o, "bundle")), trusted(o, Path.of(need(o, "bundle"))), out, err);
                case "unpack" -> unpack(o, out, err);
                case "wait-healthy" -> waitHealthy(o, out, err);
                case "keygen" -> keygen(Path.of(need(o, "out")), out);
                case "sign" -> {
                    Bundles.seal(Path.of(need(o, "bundle")), ReleaseKeys.readPrivate(Path.of(need(o, "key"))));
                    out.println("sealed " + need(o, "bundle"));
                    yield 0;
                }
                case "fingerprint" -> {
                    out.println(ReleaseKeys.fingerprint(ReleaseKeys.readPublic(Path.of(need(o, "key")))));
                    yield 0;
                }
                default -> {
                    err.println("b24bridge-installer: unknown command " + args[0]);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("b24bridge-installer: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("b24bridge-installer: " + e.getMessage());
            return 1;
        }
    }

    private static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    /**
     * The key the bundle must be signed with: a key file the operator got out of band, or the bundle's own
     * key when its fingerprint equals one the operator got out of band. Never the bundle's key on its own word.
     */
    private static Ed25519PublicKeyParameters trusted(Map<String, String> o, Path bundle) throws IOException {
        if (o.containsKey("trust-key")) {
            return ReleaseKeys.readPublic(Path.of(o.get("trust-key")));
        }
        Path shipped = bundle.resolve(Bundles.SHIPPED_KEY);
        Optional<Ed25519PublicKeyParameters> key = Files.isRegularFile(shipped)
                ? Optional.of(ReleaseKeys.readPublic(shipped)) : Optional.empty();
        String shippedPrint = key.map(ReleaseKeys::fingerprint).orElse("(none shipped)");
        if (!o.containsKey("trust-fingerprint")) {
            throw new IllegalArgumentException("no trusted key: give --trust-key FILE (the release key from a source "
                    + "you trust) or --trust-fingerprint SHA256:... (the fingerprint published with the release). "
                    + "This bundle says it is signed by " + shippedPrint + ": check that against the published "
                    + "fingerprint, never against the bundle itself");
        }
        if (key.isEmpty() || !ReleaseKeys.sameFingerprint(o.get("trust-fingerprint"), key.get())) {
            throw new IOException("refused: the bundle's key " + shippedPrint + " is not the trusted key "
                    + o.get("trust-fingerprint"));
        }
        return key.get();
    }

    private static int verify(Path bundle, Ed25519PublicKeyParameters key, PrintStream out, PrintStream err) {
        Bundles.Verdict v = Bundles.verify(bundle, key);
        if (!v.ok()) {
            err.println("b24bridge-installer: bundle " + bundle + " REFUSED:");
            v.problems().stream().limit(20).forEach(p -> err.println("  " + p));
            if (v.problems().size() > 20) {
                err.println("  ... and " + (v.problems().size() - 20) + " more");
            }
            return 1;
        }
        out.println("bundle verified: b24bridge " + v.release().get("version") + ", signed by " + ReleaseKeys.fingerprint(key));
        if ("development".equals(v.release().get("signing.key.kind"))) {
            err.println("b24bridge-installer: WARNING: this bundle is signed with a throw-away DEVELOPMENT key "
                    + "(see " + Bundles.DEVELOPMENT_MARK + "): not for production");
        }
        return 0;
    }

    /** Checks a new archive before anything of it is used: detached checksum, safe unpacking, signed manifest. */
    private static int unpack(Map<String, String> o, PrintStream out, PrintStream err) throws IOException {
        Path archive = Path.of(need(o, "archive"));
        Path into = Path.of(need(o, "into"));
        Ed25519PublicKeyParameters key = ReleaseKeys.readPublic(Path.of(need(o, "trust-key")));
        Optional<String> detached = Bundles.verifyDetached(archive, key);
        if (detached.isPresent()) {
            err.println("b24bridge-installer: archive " + archive + " REFUSED: " + detached.get());
            return 1;
        }
        Path bundle;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            bundle = Tar.unpack(in, into);
        }
        int status = verify(bundle, key, err, err);
        if (status == 0) {
            out.println(bundle);
        }
        return status;
    }

    /**
     * Waits until the appliance answers /health as healthy (HTTP 200, not DOWN) and, when asked, with the
     * expected version, so an old process still holding the port cannot pass for the new one. Gives up early
     * when the process in {@code --pid-file} has died.
     */
    private static int waitHealthy(Map<String, String> o, PrintStream out, PrintStream err) {
        long timeoutMs = Long.parseLong(o.getOrDefault("timeout", "120")) * 1000;
        String expect = o.get("expect-version");
        ApplianceConfig config = ConfigLoader.load(Path.of(need(o, "config")), System.getenv());
        long t0 = System.nanoTime();
        String last = "no answer yet";
        while ((System.nanoTime() - t0) / 1_000_000 < timeoutMs) {
            Optional<String> dead = deadProcess(o.get("pid-file"));
            if (dead.isPresent()) {
                err.println("b24bridge-installer: not healthy: " + dead.get());
                return 1;
            }
            try {
                AdminProbe.Health h = AdminProbe.health(config, Duration.ofSeconds(3));
                if (h.healthy() && (expect == null || expect.equals(h.version()))) {
                    out.printf("healthy: b24bridge %s, status %s, after %d ms%n", h.version(), h.status(),
                            (System.nanoTime() - t0) / 1_000_000);
                    return 0;
                }
                last = "HTTP " + h.httpStatus() + ", status " + h.status() + ", version " + h.version();
            } catch (IOException | RuntimeException e) {
                last = e.getMessage();
            }
            sleep(500);
        }
        err.println("b24bridge-installer: not healthy within " + timeoutMs / 1000 + " s; last: " + last);
        return 1;
    }

    private static Optional<String> deadProcess(String pidFile) {
        if (pidFile == null) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(Path.of(pidFile)).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? Optional.empty() : Optional.of("the appliance process " + pid + " has ended (see its log)");
        } catch (IOException | NumberFormatException e) {
            return Optional.of("no process recorded in " + pidFile);
        }
    }

    private static int keygen(Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve("release-signing-key.pem");
        Path pub = dir.resolve("release-key.pem");
        if (Files.exists(priv)) {
            throw new IOException(priv + " exists already: refusing to overwrite a signing key");
        }
        Ed25519PrivateKeyParameters key = ReleaseKeys.generate();
        ReleaseKeys.writePrivate(priv, key);
        ReleaseKeys.writePublic(pub, key.generatePublicKey());
        out.println("private key (keep offline, 0600): " + priv);
        out.println("public key (publish):             " + pub);
        out.println("fingerprint (publish out of band): " + ReleaseKeys.fingerprint(key.generatePublicKey()));
        return 0;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> commands() {
        return List.of("verify", "unpack", "wait-healthy", "keygen", "sign", "fingerprint");
    }
}
