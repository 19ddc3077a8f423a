package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A working folder driven through the command line, as the security team would: password files in a folder
 * of their own, and the steps init-ca → csr → issue → bundle. A clock in the past makes certificates that
 * have expired by now.
 */
final class Lab {

    static final String STORE_PASSWORD = "store-secret-0123";
    static final String CA_PASSWORD = "ca-secret-4567";

    final Path dir;
    final Path storePass;
    final Path caPass;
    final Clock clock;

    Lab(Path root, Clock clock) {
        this.dir = root.resolve("pki");
        this.clock = clock;
        Path secrets = root.resolve("secrets");
        try {
            Files.createDirectories(secrets);
            storePass = secrets.resolve("store.pass");
            caPass = secrets.resolve("ca.pass");
            Files.writeString(storePass, STORE_PASSWORD + "\n");
            Files.writeString(caPass, CA_PASSWORD + "\n");
            Files.setPosixFilePermissions(storePass, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(caPass, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Lab(Path root) {
        this(root, Clock.systemUTC());
    }

    private Lab(Lab other, Clock clock) {
        this.dir = other.dir;
        this.storePass = other.storePass;
        this.caPass = other.caPass;
        this.clock = clock;
    }

    /** The same folder, with the tool believing it is {@code clock}'s time. */
    Lab at(Clock clock) {
        return new Lab(this, clock);
    }

    /** Runs a command in this lab's folder (adds {@code --dir}). */
    Tool.Result run(String command, String... options) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.add("--dir");
        args.add(dir.toString());
        args.addAll(List.of(options));
        return Tool.run(clock, new Tool.ScriptedPrompt(), args.toArray(String[]::new));
    }

    /** Runs a command that must succeed. */
    Tool.Result ok(String command, String... options) {
        Tool.Result r = run(command, options);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    /** The whole local-CA path: init-ca, both CSRs, both signed, bundled. */
    Lab localCa(String... serverNames) {
        ok("init-ca", "--ca-password-file", caPass.toString(), "--subject", "CN=Lab CA, O=Example");
        csrs(serverNames);
        signCsrs();
        bundle();
        return this;
    }

    void csrs(String... serverNames) {
        List<String> server = new ArrayList<>(List.of("--role", "server", "--password-file", storePass.toString()));
        for (String n : serverNames) {
            server.add(SubjectAltNames.isIpLiteral(n) ? "--ip" : "--dns");
            server.add(n);
        }
        ok("csr", server.toArray(String[]::new));
        ok("csr", "--role", "client", "--password-file", storePass.toString());
    }

    void signCsrs() {
        ok("issue", "--role", "server", "--csr", dir.resolve("appliance-server.csr").toString(),
                "--ca-password-file", caPass.toString());
        ok("issue", "--role", "client", "--csr", dir.resolve("appliance-client.csr").toString(),
                "--ca-password-file", caPass.toString());
    }

    Tool.Result bundle() {
        return ok("bundle", "--password-file", storePass.toString());
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    char[] password() {
        return STORE_PASSWORD.toCharArray();
    }
}
