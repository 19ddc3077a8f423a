package io.b24bridge.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Builds the offline bundle (run by the build in the {@code package} phase): a jlinked runtime, the appliance
 * thin jar with exactly the libraries its manifest names, the certs tool, launchers, scripts, the systemd unit,
 * logrotate, the example configuration and the guides, and the Bitrix24 box module's archive for the box's
 * administrator ({@code box-module/}, packed by box-module/package.sh); then seals (manifest + signature) and packs it,
 * so the module is signed like the rest.
 *
 * <p>Options: {@code --version V --target DIR --libs DIR --appliance-jar F --certs-jar F --installer-jar F
 * --resources DIR --config-example F --docs DIR --box-module DIR --modules LIST [--signing-key F]}. Without a signing key a
 * throw-away development key is made in {@code target/dev-signing} and the bundle says so.
 */
public final class BundleBuilder {

    /** JDK modules of the runtime: what jdeps finds in the appliance and its libraries, plus what they load by name. */
    public static final String DEFAULT_MODULES = "java.base,java.desktop,java.logging,java.management,java.naming,"
            + "java.net.http,java.rmi,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs";

    private final Map<String, String> opts;

    private BundleBuilder(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long t0 = System.nanoTime();
        Path archive = new BundleBuilder(opts).build();
        System.out.printf("bundle: %s (%d MB) in %d s%n", archive, Files.size(archive) / (1024 * 1024),
                (System.nanoTime() - t0) / 1_000_000_000L);
    }

    private String opt(String name) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    Path build() throws IOException, InterruptedException {
        String version = opt("version");
        Path target = Path.of(opt("target"));
        Path runtime = jlink(target.resolve("runtime"), opts.getOrDefault("modules", DEFAULT_MODULES));

        Path bundle = target.resolve("bundle").resolve("b24bridge-" + version);
        deleteTree(bundle);
        Files.createDirectories(bundle);
        copyTree(runtime, bundle.resolve("runtime"));

        // the appliance: its thin jar and exactly the libraries its manifest class path names
        Path libs = Path.of(opt("libs"));
        Path app = bundle.resolve("app");
        Files.createDirectories(app.resolve("libs"));
        Files.copy(Path.of(opt("appliance-jar")), app.resolve("b24bridge-appliance.jar"));
        for (String entry : classPath(Path.of(opt("appliance-jar")))) {
            copyLib(libs, entry, app);
        }
        // the certs tool shares those libraries (the appliance depends on it, so its libraries are among them)
        Path certsJar = Path.of(opt("certs-jar"));
        String certsMain = mainClass(certsJar);
        List<String> certsCp = new ArrayList<>();
        certsCp.add("app/libs/" + certsJar.getFileName());
        for (String entry : classPath(certsJar)) {
            if (!Files.isRegularFile(app.resolve(entry))) {
                throw new IOException("the certs tool needs " + entry + ", which the appliance does not ship");
            }
            certsCp.add("app/" + entry);
        }
        if (!Files.isRegularFile(app.resolve("libs").resolve(certsJar.getFileName()))) {
            copyLib(libs, "libs/" + certsJar.getFileName(), app);
        }
        if (!hasClass(certsJar, certsMain)) {
            System.out.println("bundle: WARNING: " + certsJar.getFileName() + " has no " + certsMain
                    + " yet: bin/b24bridge-certs will say so when run");
        }
        Files.createDirectories(bundle.resolve("tools/libs"));
        Files.copy(Path.of(opt("installer-jar")), bundle.resolve("tools/b24bridge-installer.jar"));
        // the installer tool's own libraries (Commons Compress for the tar): those the appliance does not ship
        try (Stream<Path> all = Files.list(libs)) {
            for (Path jar : all.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                String name = jar.getFileName().toString();
                if (!Files.isRegularFile(app.resolve("libs").resolve(name)) && !name.startsWith("b24bridge-")) {
                    Files.copy(jar, bundle.resolve("tools/libs").resolve(name));
                }
            }
        }

        // scripts, launchers, unit, logrotate: as they are in src/main/bundle
        copyTree(Path.of(opt("resources")), bundle);
        Path certsLauncher = bundle.resolve("bin/b24bridge-certs");
        Files.writeString(certsLauncher, Files.readString(certsLauncher)
                .replace("@CERTS_CLASSPATH@", String.join(":", certsCp)).replace("@CERTS_MAIN@", certsMain));
        Files.createDirectories(bundle.resolve("share/doc"));
        Files.copy(Path.of(opt("config-example")), bundle.resolve("share/b24bridge.yaml"));
        try (Stream<Path> docs = Files.list(Path.of(opt("docs")))) {
            for (Path d : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Files.copy(d, bundle.resolve("share/doc").resolve(d.getFileName()));
            }
        }

        // the box module travels in the bundle, under the same signature: the archive and its checksum line
        Path moduleArchives = Path.of(opt("box-module"));
        Files.createDirectories(bundle.resolve("box-module"));
        try (Stream<Path> files = Files.list(moduleArchives)) {
            List<Path> module = files.filter(f -> f.getFileName().toString().matches(
                    "b24bridge\\.connector-[0-9.]+\\.tar\\.gz(\\.sha256)?")).sorted().toList();
            if (module.size() != 2) {
                throw new IllegalArgumentException("--box-module " + moduleArchives + " must hold one "
                        + "b24bridge.connector-<version>.tar.gz and its .sha256 (box-module/package.sh), not " + module);
            }
            for (Path f : module) {
                Files.copy(f, bundle.resolve("box-module").resolve(f.getFileName()));
            }
        }

        // signing: the release key when given, else a development key that the bundle names as such
        SigningKey key = signingKey(target);
        ReleaseKeys.writePublic(bundle.resolve(Bundles.SHIPPED_KEY), key.key().generatePublicKey());
        if (key.development()) {
            Files.writeString(bundle.resolve(Bundles.DEVELOPMENT_MARK), """
                    This bundle is signed with a THROW-AWAY DEVELOPMENT KEY made by a developer's build
                    (installer/target/dev-signing). It proves nothing about where the bundle comes from.
                    Never install it on a production appliance: use a release bundle signed with the
                    release key whose fingerprint is published out of band (docs/operator-guide.md).
                    """);
        }
        String javaVersion = Files.readAllLines(runtime.resolve("release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElse("JAVA_VERSION=?")
                .substring("JAVA_VERSION=".length()).replace("\"", "");
        Files.writeString(bundle.resolve(Bundles.RELEASE), """
                # b24bridge offline bundle
                version=%s
                platform=linux-x64
                built=%s
                java.runtime=%s
                signing.key=%s
                signing.key.kind=%s
                """.formatted(version, Instant.now(), javaVersion,
                ReleaseKeys.fingerprint(key.key().generatePublicKey()), key.development() ? "development" : "release"));
        normalizeModes(bundle);
        Bundles.seal(bundle, key.key());

        Path archive = target.resolve("b24bridge-" + version + "-linux-x64.tar");
        Bundles.pack(bundle, archive, key.key(), Instant.now().getEpochSecond());
        ReleaseKeys.writePublic(target.resolve("b24bridge-" + version + "-release-key.pem"), key.key().generatePublicKey());
        return archive;
    }

    private record SigningKey(Ed25519PrivateKeyParameters key, boolean development) {
    }

    private SigningKey signingKey(Path target) throws IOException {
        String given = opts.getOrDefault("signing-key", "");
        if (!given.isBlank() && !given.startsWith("${")) {
            return new SigningKey(ReleaseKeys.readPrivate(Path.of(given)), false);
        }
        Path dir = target.resolve("dev-signing");
        Path priv = dir.resolve("development-signing-key.pem");
        if (!Files.isRegularFile(priv)) {
            Files.createDirectories(dir);
            Ed25519PrivateKeyParameters k = ReleaseKeys.generate();
            ReleaseKeys.writePrivate(priv, k);
            ReleaseKeys.writePublic(dir.resolve("development-release-key.pem"), k.generatePublicKey());
            System.out.println("bundle: no -Dbundle.signing.key given: signing with a new THROW-AWAY development key "
                    + dir);
        }
        return new SigningKey(ReleaseKeys.readPrivate(priv), true);
    }

    /** jlinks the runtime once; kept in target/ and reused while the module list stays the same. */
    private static Path jlink(Path out, String modules) throws IOException, InterruptedException {
        Path stamp = out.resolveSibling("runtime.modules");
        String made = modules + " +cds";
        if (Files.isRegularFile(out.resolve("release")) && Files.isRegularFile(stamp)
                && Files.readString(stamp).equals(made)) {
            return out;
        }
        deleteTree(out);
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        List<String> cmd = List.of(jlink.toString(), "--add-modules", modules, "--strip-debug", "--no-header-files",
                "--no-man-pages", "--compress=zip-6",
                // the JDK's own class-data archive (a JDK has one, a jlinked runtime only when asked): the JVM
                // maps its classes instead of loading them, and the appliance's own archive (bin/b24bridge run)
                // is built on top of it
                "--generate-cds-archive", "--output", out.toString());
        System.out.println("bundle: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("jlink failed (exit " + p.exitValue() + ")");
        }
        Files.writeString(stamp, made);
        return out;
    }

    private static List<String> classPath(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String cp = j.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return cp == null ? List.of() : List.of(cp.trim().split("\\s+"));
        }
    }

    private static String mainClass(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String main = j.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null) {
                throw new IOException(jar + " names no Main-Class");
            }
            return main;
        }
    }

    private static boolean hasClass(Path jar, String className) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getEntry(className.replace('.', '/') + ".class") != null;
        }
    }

    private static void copyLib(Path libs, String entry, Path app) throws IOException {
        if (!entry.startsWith("libs/")) {
            throw new IOException("unexpected manifest class path entry '" + entry + "'");
        }
        Path from = libs.resolve(entry.substring("libs/".length()));
        if (!Files.isRegularFile(from)) {
            throw new IOException("library " + entry + " named by the manifest is not in " + libs);
        }
        Files.copy(from, app.resolve(entry), StandardCopyOption.REPLACE_EXISTING);
    }

    /** 0755 for folders and executables, 0644 for the rest: what the installed files get, whoever built them. */
    private static void normalizeModes(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                boolean x = Files.isDirectory(p) || Files.isExecutable(p) || p.toString().endsWith(".sh")
                        || p.getParent().getFileName().toString().equals("bin");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(x ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // follows links: the bundle holds plain files only
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
