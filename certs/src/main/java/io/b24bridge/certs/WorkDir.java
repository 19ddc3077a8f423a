package io.b24bridge.certs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The working folder of the tool and the names of its files. The appliance's configuration points at
 * {@code appliance-server.p12}, {@code appliance-client.p12}, {@code trust.p12} and {@code store.pass}; the rest
 * are the tool's own: {@code NAME.key}/{@code .csr}/{@code .crt} on the way to a keystore, {@code ca.pem} (the
 * trusted CAs), {@code local-ca/} (a local CA's key and certificate), {@code nginx/} (what the box side needs).
 */
public record WorkDir(Path dir) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public WorkDir {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The trusted CA certificates, PEM: the source of {@link #trustStore()}. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    public Path passwordFile() {
        return dir.resolve("store.pass");
    }

    /** Where {@code init-ca} keeps a local CA unless told otherwise. */
    public Path localCa() {
        return dir.resolve("local-ca");
    }

    /** Public files for the box side's nginx. */
    public Path nginx() {
        return dir.resolve("nginx");
    }

    public Path key(String name) {
        return dir.resolve(checkName(name) + ".key");
    }

    public Path csr(String name) {
        return dir.resolve(checkName(name) + ".csr");
    }

    public Path certificate(String name) {
        return dir.resolve(checkName(name) + ".crt");
    }

    public Path keyStore(String name) {
        return dir.resolve(checkName(name) + ".p12");
    }

    /** A file base name: letters, digits, '.', '_', '-'; never a path (no folder can be escaped through it). */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new CertsException("'" + name + "' is not a usable name: letters, digits, '.', '_' and '-' only");
        }
        return name;
    }
}
