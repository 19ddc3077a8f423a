package io.b24bridge.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.doctor.AdminProbe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundle the build made, used as an operator would: unpacked, installed into a temporary root (DESTDIR,
 * no systemd), started with its own launcher and runtime, upgraded to a second build, rolled back from a
 * build that cannot start, uninstalled; and tampered copies refused before anything is written.
 * The steps depend on each other and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleLifecycleIT {

    private Path work;
    private Path root;
    private String versionA;
    private Path archiveA;
    private Path archiveB;
    private Path archiveBroken;
    private Path devPublicKey;
    private Ed25519PrivateKeyParameters devKey;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> ports = new HashMap<>();
    private Path config;

    @BeforeAll
    void bundles() throws Exception {
        // failsafe (verify) passes the bundle the build made; anywhere else (a surefire run picking it up) skip
        assumeTrue(System.getProperty("bundle.archive") != null, "runs in the verify phase, after the bundle is built");
        archiveA = Path.of(System.getProperty("bundle.archive")).toAbsolutePath();
        versionA = System.getProperty("bundle.version");
        devKey = ReleaseKeys.readPrivate(Path.of(System.getProperty("bundle.dev.key")));
        work = archiveA.getParent().resolve("it");
        BundleBuilder.deleteTree(work);
        Files.createDirectories(work);
        root = work.resolve("root");
        devPublicKey = work.resolve("release-key.pem");
        ReleaseKeys.writePublic(devPublicKey, devKey.generatePublicKey());
        System.out.printf("MEASURE bundle: %s, %d MB%n", archiveA.getFileName(), Files.size(archiveA) / (1024 * 1024));

        // a second build (another version string, in the jar too) and one whose launcher cannot start
        archiveB = variant("b", versionA + ".next", bundle -> { });
        archiveBroken = variant("broken", versionA + ".next.broken", bundle -> Files.writeString(bundle.resolve("bin/b24bridge"),
                "#!/bin/sh\necho 'b24bridge: this build cannot start (test)' >&2\nexit 1\n"));

        int admin = freePort();
        int box = freePort();
        env.put("DESTDIR", root.toString());
        env.put("STOP_TIMEOUT", "30");
        // the ports go into the installation's environment file (step 3), as an operator would put them
        ports.put("B24BRIDGE_LISTENERS_ADMIN_PORT", String.valueOf(admin));
        ports.put("B24BRIDGE_LISTENERS_BOX_PORT", String.valueOf(box));
    }

    @AfterAll
    void stopLeftovers() throws Exception {
        if (root == null) {
            return;
        }
        Path pid = root.resolve("run/b24bridge/b24bridge.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Order(1)
    void tamperedBundlesAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path target = work.resolve("tampered-root");
        List<Path> tampered = List.of(
                variant("changed-file", versionA, b -> Files.writeString(b.resolve("bin/b24bridge"), "#!/bin/sh\necho owned\n"), false),
                variant("changed-manifest", versionA, b -> {
                    Files.writeString(b.resolve("bin/b24bridge"), "#!/bin/sh\necho owned\n");
                    String m = Files.readString(b.resolve(io.b24bridge.installer.Manifest.FILE));
                    Files.writeString(b.resolve(io.b24bridge.installer.Manifest.FILE), m.replaceFirst(
                            "[0-9a-f]{64}  bin/b24bridge\n", io.b24bridge.installer.Manifest.sha256(b.resolve("bin/b24bridge"))
                                    + "  bin/b24bridge\n"));
                }, false),
                variantSignedWith("wrong-key", ReleaseKeys.generate()));
        for (Path archive : tampered) {
            Path unpacked = unpack(archive, work.resolve("x-" + archive.getFileName()));
            Result r = run(Map.of("DESTDIR", target.toString()), unpacked.resolve("install.sh").toString(),
                    "--trust-key", devPublicKey.toString(), "--no-systemd");
            assertNotEquals(0, r.status(), archive + " was accepted: " + r.output());
            assertTrue(r.output().contains("REFUSED") && r.output().contains("nothing was installed"), r.output());
            assertFalse(Files.exists(target), "something was written for " + archive);
        }
        // the genuine bundle without a trusted key: refused too, and it says how to check the key
        Result r = run(Map.of("DESTDIR", target.toString()), unpack(archiveA, work.resolve("x-genuine"))
                .resolve("install.sh").toString(), "--no-systemd");
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("--trust-fingerprint"), r.output());
        assertFalse(Files.exists(target));
    }

    @Test
    @Order(2)
    void installsIntoATemporaryRoot() throws Exception {
        Path bundle = unpack(archiveA, work.resolve("a"));
        long t0 = System.nanoTime();
        Result r = run(env, bundle.resolve("install.sh").toString(), "--trust-fingerprint",
                ReleaseKeys.fingerprint(devKey.generatePublicKey()), "--no-systemd");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.status(), r.output());
        System.out.printf("MEASURE install: %d ms (verify + copy)%n", ms);
        assertTrue(r.output().contains("systemctl enable --now b24bridge"), r.output());
        assertEquals(versionA, Files.readSymbolicLink(root.resolve("opt/b24bridge/current")).toString());
        for (String f : List.of("etc/b24bridge/b24bridge.yaml", "etc/b24bridge/b24bridge.env", "etc/b24bridge/release-key.pem",
                "etc/systemd/system/b24bridge.service", "etc/logrotate.d/b24bridge", "usr/local/bin/b24bridge")) {
            assertTrue(Files.exists(root.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS), f);
        }
        for (String d : List.of("etc/b24bridge", "var/lib/b24bridge", "var/log/b24bridge")) {
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(d))), d);
        }
        String unit = Files.readString(root.resolve("etc/systemd/system/b24bridge.service"));
        for (String line : List.of("User=b24bridge", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "NoNewPrivileges=yes", "ReadWritePaths=/var/lib/b24bridge /var/log/b24bridge", "CapabilityBoundingSet=\n",
                "Restart=on-failure", "TimeoutStopSec=45s")) {
            assertTrue(unit.contains(line), line);
        }
        // the certs tool's launcher names only files the bundle has
        String certs = Files.readString(root.resolve("opt/b24bridge/current/bin/b24bridge-certs"));
        String cp = certs.replaceAll("(?s).*<<< \"([^\"]+)\".*", "$1");
        for (String entry : cp.split(":")) {
            assertTrue(Files.isRegularFile(root.resolve("opt/b24bridge/current").resolve(entry)), entry);
        }
        // ... carries its main class, and runs with the bundled runtime
        Path certsJar = root.resolve("opt/b24bridge/current").resolve(cp.split(":")[0]);
        try (JarFile j = new JarFile(certsJar.toFile())) {
            String main = j.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            assertEquals("io.b24bridge.certs.CertsTool", main);
            assertNotNull(j.getEntry(main.replace('.', '/') + ".class"), "the certs jar holds " + main);
        }
        Result certsRun = run(env, root.resolve("opt/b24bridge/current/bin/b24bridge-certs").toString(), "--help");
        assertEquals(0, certsRun.status(), certsRun.output());
        assertTrue(certsRun.output().contains("Usage: b24bridge-certs"), certsRun.output());

        // the box module's archive travels in the bundle (signed with the rest) for the box's administrator, and its
        // checksum line holds for it
        Path modules = root.resolve("opt/b24bridge/current/box-module");
        try (var files = Files.list(modules)) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().startsWith("b24bridge.connector-")).count());
        }
        r = run(Map.of(), "bash", "-c", "cd '" + modules + "' && sha256sum -c b24bridge.connector-*.tar.gz.sha256");
        assertEquals(0, r.status(), r.output());

        // installing twice is refused: upgrades go through upgrade.sh
        r = run(env, bundle.resolve("install.sh").toString(), "--no-systemd");
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("upgrade.sh"), r.output());
    }

    @Test
    @Order(3)
    void theInstalledLauncherStartsTheApplianceWithTheBundledRuntime() throws Exception {
        DevPki.Files pki = DevPki.ensure(root.resolve("etc/b24bridge/tls"), List.of("localhost", "127.0.0.1"));
        // what the operator does after installing: point the configuration at the certificates. The admin listener
        // asks every client for a certificate of the admin CA (here the dev CA): the appliance's own tools (doctor,
        // backup, the upgrade's wait for /health) must still get in, with the local tools' credential (issue 13)
        config = root.resolve("etc/b24bridge/b24bridge.yaml");
        Files.writeString(config, """
                storage:
                  dir: %1$s
                listeners:
                  box:
                    host: 127.0.0.1
                    keystore: %2$s
                    keystore-password-file: %3$s
                    truststore: %4$s
                  admin:
                    host: 127.0.0.1
                    keystore: %2$s
                    keystore-password-file: %3$s
                    client-auth: required
                    truststore: %4$s
                shutdown:
                  grace: 2s
                """.formatted(root.resolve("var/lib/b24bridge"), pki.applianceServer(), pki.passwordFile(), pki.trustStore()));
        Path envFile = root.resolve("etc/b24bridge/b24bridge.env");
        StringBuilder lines = new StringBuilder(Files.readString(envFile));
        ports.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, lines);
        Path launcher = root.resolve("opt/b24bridge/current/bin/b24bridge");
        Result version = run(env, launcher.toString(), "version");
        assertEquals("b24bridge " + versionA, version.output().strip());

        Process p = start(env, launcher.toString(), "run", "--config", config.toString());
        try {
            long t0 = System.nanoTime();
            AdminProbe.Health h = awaitHealthy(Duration.ofSeconds(120));
            System.out.printf("MEASURE start to healthy /health: %d ms (installed launcher, bundled runtime)%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals(versionA, h.version());
            assertEquals("UP", h.status());

            Result doctor = run(env, launcher.toString(), "doctor", "--config", config.toString());
            assertTrue(doctor.output().contains("config") && doctor.output().contains("appliance")
                    && doctor.output().contains("running: b24bridge " + versionA), doctor.output());
            assertFalse(doctor.output().contains("FAIL  certs"), doctor.output());
            assertThrows(IOException.class, () -> getWithoutCertificate(pki, "/health"),
                    "client-auth: required turns away a client without a certificate of the admin CA");
        } finally {
            p.destroy(); // SIGTERM, as systemctl stop
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Order(4)
    void anApplianceOutOfHeapExitsForItsServiceManagerToStartItAgain() throws Exception {
        // out of heap, a JVM runs on with the threads that died of it (the AMI reader, the intake): telephony goes
        // on and the CRM gets nothing, silently. lib/jvm.options makes it exit (status 3, systemd's
        // Restart=on-failure starts it again); a heap too small to start in is the quickest way to run out
        Map<String, String> tiny = new HashMap<>(env);
        tiny.put("JAVA_OPTS", "-Xmx8m");
        Result r = run(tiny, root.resolve("opt/b24bridge/current/bin/b24bridge").toString(), "run", "--config",
                config.toString());
        assertEquals(3, r.status(), r.output());
        assertTrue(r.output().contains("Terminating due to java.lang.OutOfMemoryError"), r.output());
    }

    /** A TLS client that trusts the appliance's certificate but has none of its own. */
    private int getWithoutCertificate(DevPki.Files pki, String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.trustStore())) {
            trust.load(in, pki.password());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()) {
            URI uri = URI.create("https://127.0.0.1:" + ports.get("B24BRIDGE_LISTENERS_ADMIN_PORT") + path);
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    @Order(5)
    void upgradeBacksUpSwitchesAndWaitsForTheNewVersion() throws Exception {
        Path service = root.resolve("opt/b24bridge/current/bin/b24bridge-service");
        assertEquals(0, run(env, service.toString(), "start").status());
        awaitHealthy(Duration.ofSeconds(120));

        long t0 = System.nanoTime();
        Result r = run(env, root.resolve("opt/b24bridge/current/upgrade.sh").toString(), "--no-systemd",
                "--health-timeout", "180", archiveB.toString());
        assertEquals(0, r.status(), r.output());
        System.out.printf("MEASURE upgrade (verify, stop, backup, switch, start, healthy): %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(versionA + ".next", AdminProbe.health(loadConfig(), Duration.ofSeconds(30)).version());
        assertEquals(versionA + ".next", Files.readSymbolicLink(root.resolve("opt/b24bridge/current")).toString());
        assertTrue(Files.isDirectory(root.resolve("opt/b24bridge").resolve(versionA)), "the previous version stays");
        Path backup = Path.of(release(root.resolve("opt/b24bridge/last-upgrade")).get("backup"));
        assertTrue(Files.isRegularFile(backup.resolve("service.properties")), "backup " + backup);
        assertTrue(backup.startsWith(root.resolve("var/lib/b24bridge/backups")), backup.toString());
        // root's log, outside the service's folders (review F11)
        assertTrue(Files.readString(root.resolve("var/log/b24bridge-upgrade.log")).contains("upgraded b24bridge"));
        assertFalse(Files.exists(root.resolve("var/log/b24bridge/upgrade.log")));
    }

    @Test
    @Order(6)
    void anUpgradeThatCannotStartIsRolledBack() throws Exception {
        String before = versionA + ".next";
        Result r = run(env, root.resolve("opt/b24bridge/current/upgrade.sh").toString(), "--no-systemd",
                "--health-timeout", "180", archiveBroken.toString());
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("rolled back: b24bridge " + before + " is running again"), r.output());
        assertTrue(r.output().contains("database restored from"), r.output());
        assertEquals(before, Files.readSymbolicLink(root.resolve("opt/b24bridge/current")).toString());
        assertEquals(versionA, Files.readSymbolicLink(root.resolve("opt/b24bridge/previous")).toString(),
                "a failed upgrade leaves the previous version as it was");
        assertEquals(versionA + ".next.broken", release(root.resolve("opt/b24bridge/last-failed-upgrade")).get("to"));
        assertEquals(before, AdminProbe.health(loadConfig(), Duration.ofSeconds(30)).version());
    }

    @Test
    @Order(7)
    void aTamperedArchiveIsRefusedByTheInstalledUpgrade() throws Exception {
        // one byte changed inside, the signed checksum file beside it as released
        Path dir = Files.createDirectories(work.resolve("tampered-upgrade"));
        Path tampered = dir.resolve(archiveB.getFileName());
        Files.copy(archiveB, tampered);
        for (String suffix : List.of(".sha256", ".sha256.sig")) {
            Files.copy(archiveB.resolveSibling(archiveB.getFileName() + suffix), dir.resolve(archiveB.getFileName() + suffix));
        }
        try (var ch = java.nio.channels.FileChannel.open(tampered, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), Files.size(tampered) / 2);
        }
        Path upgrade = root.resolve("opt/b24bridge/current/upgrade.sh");
        Result r = run(env, upgrade.toString(), "--no-systemd", tampered.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("does not match its signed checksum") && r.output().contains("nothing was changed"),
                r.output());
        // without the checksum files, the signed manifest inside catches it
        Files.delete(dir.resolve(archiveB.getFileName() + ".sha256"));
        r = run(env, upgrade.toString(), "--no-systemd", tampered.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("REFUSED") && r.output().contains("nothing was changed"), r.output());
        assertEquals(versionA + ".next", Files.readSymbolicLink(root.resolve("opt/b24bridge/current")).toString());

        // an older signed bundle is refused: it may carry flaws fixed since (review F17)
        r = run(env, upgrade.toString(), "--no-systemd", archiveA.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.output().contains("older than the installed") && r.output().contains("--allow-older"),
                r.output());
        assertEquals(versionA + ".next", Files.readSymbolicLink(root.resolve("opt/b24bridge/current")).toString());
    }

    /**
     * Review F11: root signalled whatever pid the service's user wrote into its pid file. The pid file now lives in
     * root's folder, and a pid that is not this appliance's java is never signalled.
     */
    @Test
    @Order(8)
    void aPidFileNamingAnotherProcessIsNotSignalled() throws Exception {
        Path pidFile = root.resolve("run/b24bridge/b24bridge.pid");
        String appliance = Files.readString(pidFile).strip();
        Process bystander = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(pidFile, bystander.pid() + "\n");
            Result r = run(env, root.resolve("opt/b24bridge/current/bin/b24bridge-service").toString(), "stop");
            assertEquals(0, r.status(), r.output());
            assertTrue(r.output().contains("not running"), r.output());
            assertTrue(bystander.isAlive(), "the process the pid file named was left alone");
        } finally {
            bystander.destroyForcibly();
            Files.writeString(pidFile, appliance + "\n");
        }
    }

    @Test
    @Order(9)
    void uninstallKeepsConfigurationAndDataUnlessPurged() throws Exception {
        Result r = run(env, root.resolve("opt/b24bridge/current/uninstall.sh").toString(), "--no-systemd");
        assertEquals(0, r.status(), r.output());
        assertFalse(Files.exists(root.resolve("opt/b24bridge")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/b24bridge.service")));
        assertTrue(Files.isRegularFile(config));
        assertTrue(Files.isRegularFile(root.resolve("var/lib/b24bridge/db/service.properties")));
        assertFalse(Files.exists(root.resolve("run/b24bridge/b24bridge.pid")), "the service was stopped");

        // installing again finds the kept configuration and pinned key: both are left alone
        String kept = Files.readString(config);
        Path bundle = unpack(archiveA, work.resolve("a2"));
        r = run(env, bundle.resolve("install.sh").toString(), "--no-systemd");
        assertEquals(0, r.status(), r.output());
        assertEquals(kept, Files.readString(config));
        assertTrue(Files.isRegularFile(root.resolve("etc/b24bridge/b24bridge.yaml.new")));

        r = run(env, root.resolve("opt/b24bridge/current/uninstall.sh").toString(), "--no-systemd", "--purge");
        assertEquals(0, r.status(), r.output());
        for (String gone : List.of("opt/b24bridge", "etc/b24bridge", "var/lib/b24bridge", "var/log/b24bridge")) {
            assertFalse(Files.exists(root.resolve(gone)), gone);
        }
    }

    @Test
    @Order(10)
    void theArchiveChecksOutWithTheOperatingSystemsOwnTools() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl here");
        Path sums = archiveA.resolveSibling(archiveA.getFileName() + ".sha256");
        Result r = run(Map.of(), "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", devPublicKey.toString(), "-rawin",
                "-in", sums.toString(), "-sigfile", sums + ".sig");
        assertEquals(0, r.status(), r.output());
        r = run(Map.of(), "bash", "-c", "cd '" + archiveA.getParent() + "' && sha256sum -c '" + sums.getFileName() + "'");
        assertEquals(0, r.status(), r.output());
    }

    // ---- helpers

    interface Change {
        void apply(Path bundle) throws IOException;
    }

    /** A copy of bundle A with another version and a change, sealed with the build's key (or not). */
    private Path variant(String name, String version, Change change) throws IOException {
        return variant(name, version, change, true);
    }

    private Path variant(String name, String version, Change change, boolean seal) throws IOException {
        Path dir = work.resolve("variant-" + name);
        Path bundle = unpack(archiveA, dir).resolveSibling("b24bridge-" + version);
        if (!version.equals(versionA)) {
            Files.move(dir.resolve("b24bridge-" + versionA), bundle);
            Files.writeString(bundle.resolve(Bundles.RELEASE), Files.readString(bundle.resolve(Bundles.RELEASE))
                    .replace("version=" + versionA, "version=" + version));
            setJarVersion(bundle.resolve("app/b24bridge-appliance.jar"), version);
        }
        change.apply(bundle);
        Path archive = work.resolve("b24bridge-" + name + "-linux-x64.tar");
        if (seal) {
            Bundles.seal(bundle, devKey);
            Bundles.pack(bundle, archive, devKey, System.currentTimeMillis() / 1000);
        } else {
            try (OutputStream out = Files.newOutputStream(archive)) {
                Tar.write(bundle, out, System.currentTimeMillis() / 1000);
            }
        }
        return archive;
    }

    private Path variantSignedWith(String name, Ed25519PrivateKeyParameters key) throws IOException {
        Path bundle = unpack(archiveA, work.resolve("variant-" + name));
        Bundles.seal(bundle, key);
        Path archive = work.resolve("b24bridge-" + name + "-linux-x64.tar");
        Bundles.pack(bundle, archive, key, System.currentTimeMillis() / 1000);
        return archive;
    }

    private static Path unpack(Path archive, Path into) throws IOException {
        BundleBuilder.deleteTree(into);
        Files.createDirectories(into);
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(archive))) {
            return Tar.unpack(in, into);
        }
    }

    /** Rewrites Implementation-Version, as a build of another version would have it. */
    private static void setJarVersion(Path jar, String version) throws IOException {
        Path out = jar.resolveSibling("rewritten.jar");
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), m)) {
                for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    o.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream is = in.getInputStream(entry)) {
                        is.transferTo(o);
                    }
                    o.closeEntry();
                }
            }
        }
        Files.move(out, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private io.b24bridge.config.ApplianceConfig loadConfig() {
        return ConfigLoader.load(config, ports);
    }

    /**
     * Limits here (120 s, and 180 s for the upgrade's own wait) are for a JVM starting on a loaded CI machine: a
     * fresh clone at load average 15 took over 30 s for the appliance to be up. Success returns at once, and without
     * systemd a version that dies is given up on as soon as its pid is gone, so the long limits cost no time.
     */
    private AdminProbe.Health awaitHealthy(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                AdminProbe.Health h = AdminProbe.health(loadConfig(), Duration.ofSeconds(2));
                if (h.healthy()) {
                    return h;
                }
                last = h.status();
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy within " + limit + ": " + last);
    }

    private static Map<String, String> release(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    record Result(int status, String output) {
    }

    private Result run(Map<String, String> environment, String... command) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", command) + " -> " + p.exitValue() + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    private Process start(Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(work.resolve("appliance-run.log").toFile());
        pb.environment().putAll(environment);
        return pb.start();
    }

    /**
     * A free port below Linux's ephemeral range (32768 up), as testkit's FreePorts picks them (installer's tests do
     * not see the testkit): the installed appliance binds it seconds later, and a port from that range could meanwhile
     * go to another process's outgoing connection.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_768);
            if (PORTS_GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(port));
                PORTS_GIVEN.add(port);
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IOException("no free port between 20000 and 32767");
    }

    private static final java.util.Set<Integer> PORTS_GIVEN = new java.util.HashSet<>();

    @SuppressWarnings("unused")
    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }
}
