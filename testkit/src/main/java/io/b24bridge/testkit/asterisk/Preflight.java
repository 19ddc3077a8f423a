package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether this machine can run the pair, and if not, exactly why: the reason becomes the skip message, so
 * it names the fix. The root is built here only when {@link AsteriskSettings#build()} allows it.
 */
final class Preflight {

    private static final Logger LOG = Logger.getLogger(Preflight.class.getName());
    static final String BUILD_SCRIPT = "testkit/asterisk/build-root.sh";

    private Preflight() {
    }

    /** Platform, privileges, programs and the root; empty when all is there. */
    static Optional<String> environment(AsteriskSettings s) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("needs Linux (chroot, mount namespaces); this is " + System.getProperty("os.name"));
        }
        String uid = effectiveUid();
        if (!"0".equals(uid)) {
            return Optional.of("needs root (chroot and bind mounts); running as uid " + uid
                    + " — run the tests as root, as CI does");
        }
        for (String tool : List.of("chroot", "unshare", "mount", "sh")) {
            if (Tools.find(tool).isEmpty()) {
                return Optional.of("'" + tool + "' not found on PATH (util-linux / coreutils)");
            }
        }
        Path asterisk = s.root().resolve("usr/sbin/asterisk");
        if (!Files.isExecutable(asterisk)) {
            if (!s.build()) {
                return Optional.of("no Asterisk root at " + s.root() + ": build it once with '" + BUILD_SCRIPT + " "
                        + s.root() + "' (about a minute, needs the Debian mirror), or set B24TEST_ASTERISK_BUILD=1"
                        + " (-Db24bridge.asterisk.build=true) to let the tests build it");
            }
            Optional<String> built = build(s.root());
            if (built.isPresent()) {
                return built;
            }
        }
        if (!Files.exists(s.root().resolve("var/lib/dpkg/info/asterisk-modules.list"))) {
            return Optional.of(s.root() + " has Asterisk but not the asterisk-modules package: rebuild it with "
                    + BUILD_SCRIPT);
        }
        return Optional.empty();
    }

    /** The AMI ports and SIP addresses are free (checked once the root's lock is held). */
    static Optional<String> ports(AsteriskSettings s) {
        for (int port : new int[] {s.pbxAmiPort(), s.worldAmiPort()}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                return Optional.of("TCP 127.0.0.1:" + port + " (AMI) is taken — another Asterisk on this machine? "
                        + "free it or set b24bridge.asterisk.pbxAmiPort/worldAmiPort");
            }
        }
        for (String host : List.of(s.pbxSipHost(), s.carrierSipHost(), s.phonesSipHost())) {
            try (DatagramSocket socket = new DatagramSocket(null)) {
                socket.bind(new InetSocketAddress(host, s.sipPort()));
            } catch (IOException e) {
                return Optional.of("UDP " + host + ":" + s.sipPort() + " (SIP) is taken — another SIP server on this"
                        + " machine? free it or set b24bridge.asterisk.sipPort");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> build(Path root) {
        Optional<Path> script = findBuildScript();
        if (script.isEmpty()) {
            return Optional.of("no Asterisk root at " + root + " and " + BUILD_SCRIPT + " not found above "
                    + System.getProperty("user.dir") + " to build it (or set b24bridge.asterisk.buildScript)");
        }
        LOG.warning(() -> "building the Asterisk root at " + root + " with " + script.get() + " (about a minute)");
        try {
            Process p = Tools.builder("bash", script.get().toString(), root.toString()).inheritIO().start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return Optional.of(BUILD_SCRIPT + " took more than 20 minutes");
            }
            if (p.exitValue() != 0 || !Files.isExecutable(root.resolve("usr/sbin/asterisk"))) {
                return Optional.of(BUILD_SCRIPT + " " + root + " failed (exit " + p.exitValue() + "), see its output");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("could not run " + script.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while building the root");
        }
    }

    /** The script from the checkout: the property, else the first folder above the working one that has it. */
    static Optional<Path> findBuildScript() {
        String explicit = System.getProperty("b24bridge.asterisk.buildScript");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isRegularFile);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(BUILD_SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"). */
    static String effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1];
                }
            }
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            LOG.fine(() -> "cannot read /proc/self/status: " + e);
        }
        return "unknown";
    }
}
