package io.b24bridge.installer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.doctor.AdminProbe;

/**
 * The installer's Java side, called by install.sh / upgrade.sh with the bundled runtime (picocli reads the
 * command line, as for the appliance and the certs tool; {@code --help} on each command):
 * <pre>
 *   verify  --bundle DIR (--trust-key FILE | --trust-fingerprint SHA256:HEX)
 *   unpack  --archive TAR --into DIR --trust-key FILE     (checks, unpacks safely, verifies; prints the bundle folder)
 *   wait-healthy --config FILE [--timeout SECONDS] [--expect-version V] [--pid-file FILE]
 *   keygen  --out DIR                                      (a release key pair)
 *   sign    --bundle DIR --key FILE                        (re-seal an unpacked bundle)
 *   fingerprint --key FILE
 * </pre>
 * Exit status 0 when good, 1 when refused or failed, 2 for a wrong command line.
 */
@Command(name = "b24bridge-installer", synopsisSubcommandLabel = "COMMAND",
        description = "Checks, unpacks and signs b24bridge bundles; waits for an installed appliance to be healthy.",
        subcommands = {BundleTool.Verify.class, BundleTool.Unpack.class, BundleTool.WaitHealthy.class,
                BundleTool.Keygen.class, BundleTool.Sign.class, BundleTool.Fingerprint.class})
public final class BundleTool {

    static final int FAILED = 1;
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;

    private BundleTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new BundleTool(out, err))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExitCodeExceptionMapper(e -> e instanceof ParameterException || e instanceof IllegalArgumentException
                        ? USAGE : FAILED)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    line.getErr().println("b24bridge-installer: " + e.getMessage());
                    return line.getExitCodeExceptionMapper().getExitCode(e);
                });
        if (args.length == 0) {
            cl.usage(cl.getErr());
            return USAGE;
        }
        return cl.execute(args);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "checks an unpacked bundle against "
            + "its signed manifest")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--bundle", required = true, paramLabel = "DIR")
        Path bundle;
        @Option(names = "--trust-key", paramLabel = "FILE", description = "the release key, from a source you trust")
        Path trustKey;
        @Option(names = "--trust-fingerprint", paramLabel = "SHA256:HEX",
                description = "the fingerprint published with the release")
        String trustFingerprint;

        @Override
        public Integer call() throws IOException {
            return verify(bundle, trusted(trustKey, trustFingerprint, bundle), tool.out, tool.err);
        }
    }

    @Command(name = "unpack", mixinStandardHelpOptions = true, description = "checks an archive, unpacks it "
            + "safely and verifies it; prints the bundle folder")
    static final class Unpack implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--archive", required = true, paramLabel = "TAR")
        Path archive;
        @Option(names = "--into", required = true, paramLabel = "DIR")
        Path into;
        @Option(names = "--trust-key", required = true, paramLabel = "FILE")
        Path trustKey;

        @Override
        public Integer call() throws IOException {
            return unpack(archive, into, trustKey, tool.out, tool.err);
        }
    }

    @Command(name = "wait-healthy", mixinStandardHelpOptions = true, description = "waits until the appliance "
            + "answers /health as healthy")
    static final class WaitHealthy implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--config", required = true, paramLabel = "FILE")
        Path config;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120")
        long timeoutSeconds;
        @Option(names = "--expect-version", paramLabel = "V")
        String expectVersion;
        @Option(names = "--pid-file", paramLabel = "FILE", description = "gives up when this process has died")
        Path pidFile;

        @Override
        public Integer call() {
            return waitHealthy(config, timeoutSeconds, expectVersion, pidFile, tool.out, tool.err);
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "a release key pair")
    static final class Keygen implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Override
        public Integer call() throws IOException {
            return keygen(out, tool.out);
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "re-seals an unpacked bundle")
    static final class Sign implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--bundle", required = true, paramLabel = "DIR")
        Path bundle;
        @Option(names = "--key", required = true, paramLabel = "FILE")
        Path key;

        @Override
        public Integer call() throws IOException {
            Bundles.seal(bundle, ReleaseKeys.readPrivate(key));
            tool.out.println("sealed " + bundle);
            return 0;
        }
    }

    @Command(name = "fingerprint", mixinStandardHelpOptions = true, description = "a public key's fingerprint")
    static final class Fingerprint implements Callable<Integer> {
        @ParentCommand
        BundleTool tool;
        @Option(names = "--key", required = true, paramLabel = "FILE")
        Path key;

        @Override
        public Integer call() throws IOException {
            tool.out.println(ReleaseKeys.fingerprint(ReleaseKeys.readPublic(key)));
            return 0;
        }
    }

    /**
     * The key the bundle must be signed with: a key file the operator got out of band, or the bundle's own
     * key when its fingerprint equals one the operator got out of band. Never the bundle's key on its own word.
     */
    private static Ed25519PublicKeyParameters trusted(Path trustKey, String trustFingerprint, Path bundle)
            throws IOException {
        if (trustKey != null) {
            return ReleaseKeys.readPublic(trustKey);
        }
        Path shipped = bundle.resolve(Bundles.SHIPPED_KEY);
        Optional<Ed25519PublicKeyParameters> key = Files.isRegularFile(shipped)
                ? Optional.of(ReleaseKeys.readPublic(shipped)) : Optional.empty();
        String shippedPrint = key.map(ReleaseKeys::fingerprint).orElse("(none shipped)");
        if (trustFingerprint == null) {
            throw new IllegalArgumentException("no trusted key: give --trust-key FILE (the release key from a source "
                    + "you trust) or --trust-fingerprint SHA256:... (the fingerprint published with the release). "
                    + "This bundle says it is signed by " + shippedPrint + ": check that against the published "
                    + "fingerprint, never against the bundle itself");
        }
        if (key.isEmpty() || !ReleaseKeys.sameFingerprint(trustFingerprint, key.get())) {
            throw new IOException("refused: the bundle's key " + shippedPrint + " is not the trusted key "
                    + trustFingerprint);
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
    private static int unpack(Path archive, Path into, Path trustKey, PrintStream out, PrintStream err)
            throws IOException {
        Ed25519PublicKeyParameters key = ReleaseKeys.readPublic(trustKey);
        Optional<String> detached = Bundles.verifyDetached(archive, key);
        if (detached.isPresent()) {
            err.println("b24bridge-installer: archive " + archive + " REFUSED: " + detached.get());
            return 1;
        }
        Path bundle;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
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
    private static int waitHealthy(Path configFile, long timeoutSeconds, String expect, Path pidFile,
                                   PrintStream out, PrintStream err) {
        long timeoutMs = timeoutSeconds * 1000;
        ApplianceConfig config = ConfigLoader.load(configFile, System.getenv());
        long t0 = System.nanoTime();
        String last = "no answer yet";
        while ((System.nanoTime() - t0) / 1_000_000 < timeoutMs) {
            Optional<String> dead = deadProcess(pidFile);
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

    private static Optional<String> deadProcess(Path pidFile) {
        if (pidFile == null) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
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
}
