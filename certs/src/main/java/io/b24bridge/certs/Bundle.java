package io.b24bridge.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Lays down the files the appliance's configuration points at — {@code appliance-server.p12},
 * {@code appliance-client.p12}, {@code trust.p12}, {@code store.pass} — and, in {@code nginx/}, the CA
 * certificates the box side's nginx needs to check the appliance ({@code appliance-client-ca.pem},
 * {@code appliance-server-ca.pem}). All keystores share the one password in {@code store.pass}.
 *
 * <pre>{@code
 * Bundle.Layout files = Bundle.write(dir, password, server, client, List.of(ca.certificate()));
 * // files.serverKeyStore() → listeners.box.keystore, files.trustStore() → listeners.box.truststore, ...
 * }</pre>
 */
public final class Bundle {

    /** The files of a bundle; a role left out has no keystore (and no nginx file) on disk. */
    public record Layout(Path dir, Path serverKeyStore, Path clientKeyStore, Path trustStore, Path passwordFile,
                         Path serverCaPem, Path clientCaPem) {

        public static Layout of(Path dir) {
            WorkDir w = new WorkDir(dir);
            return new Layout(w.dir(), w.keyStore(Role.SERVER.defaultName()), w.keyStore(Role.CLIENT.defaultName()),
                    w.trustStore(), w.passwordFile(), w.nginx().resolve("appliance-server-ca.pem"),
                    w.nginx().resolve("appliance-client-ca.pem"));
        }

        public Path keyStore(Role role) {
            return role == Role.SERVER ? serverKeyStore : clientKeyStore;
        }

        public Path caPem(Role role) {
            return role == Role.SERVER ? serverCaPem : clientCaPem;
        }
    }

    private Bundle() {
    }

    /** Both roles; refuses to replace existing keystores. */
    public static Layout write(Path dir, char[] password, KeyAndChain server, KeyAndChain client,
                               List<X509Certificate> trusted) {
        Map<Role, KeyAndChain> keys = new EnumMap<>(Role.class);
        keys.put(Role.SERVER, server);
        keys.put(Role.CLIENT, client);
        return write(dir, password, keys, trusted, false);
    }

    /**
     * Writes a keystore per role in {@code keys} (alias = the file's base name), the trust store of
     * {@code trusted}, the password file, and the nginx CA files. Each certificate must chain to one of
     * {@code trusted} through its own chain: what the peer will see. Nothing is written when a check fails or
     * (without {@code overwrite}) a keystore exists already.
     */
    public static Layout write(Path dir, char[] password, Map<Role, KeyAndChain> keys, List<X509Certificate> trusted,
                               boolean overwrite) {
        if (trusted.isEmpty()) {
            throw new CertsException("no trusted CA: the trust store would be empty (import-ca or init-ca first)");
        }
        Passwords.requireStrong(password, "the keystore password");
        Layout layout = Layout.of(dir);
        Map<Role, List<X509Certificate>> caChains = new EnumMap<>(Role.class);
        for (Map.Entry<Role, KeyAndChain> e : keys.entrySet()) {
            KeyAndChain k = e.getValue();
            List<X509Certificate> chain = k.chain();
            Chains.Chain path = Chains.build(k.certificate(), chain.subList(1, chain.size()), trusted);
            if (path.anchor().isEmpty()) {
                throw new CertsException("the " + e.getKey().optionName() + " certificate '"
                        + Names.subject(k.certificate()) + "' does not chain to a trusted CA: its chain ends at '"
                        + Names.subject(path.top()) + "', issued by '" + Names.issuer(path.top())
                        + "'. Import that CA (import-ca) or give the missing intermediate (--chain)");
            }
            if (!Keys.matches(k.key(), k.certificate().getPublicKey())) {
                throw new CertsException("the " + e.getKey().optionName() + " key does not belong to the certificate '"
                        + Names.subject(k.certificate()) + "'");
            }
            caChains.put(e.getKey(), path.caCertificates());
        }
        List<Path> targets = new ArrayList<>();
        keys.keySet().forEach(r -> targets.add(layout.keyStore(r)));
        SecureFiles.requireAbsent(overwrite, targets);
        String passwordLine = new String(password) + "\n";
        if (Files.exists(layout.passwordFile()) && !overwrite && !samePassword(layout.passwordFile(), password)) {
            throw new CertsException(layout.passwordFile() + " holds another password: nothing was written."
                    + " Use that password (--password-file " + layout.passwordFile() + "), or --force to replace it");
        }

        SecureFiles.ensureDir(layout.dir());
        for (Map.Entry<Role, KeyAndChain> e : keys.entrySet()) {
            Stores.writeKeyStore(layout.keyStore(e.getKey()), e.getKey().defaultName(), e.getValue(), password);
            SecureFiles.write(layout.caPem(e.getKey()), TrustList.annotated(caChains.get(e.getKey())), SecureFiles.PUBLIC);
        }
        Stores.writeTrustStore(layout.trustStore(), trusted, password);
        if (!Files.exists(layout.passwordFile()) || !samePassword(layout.passwordFile(), password)) {
            SecureFiles.write(layout.passwordFile(), passwordLine, SecureFiles.SECRET);
        }
        return layout;
    }

    private static boolean samePassword(Path file, char[] password) {
        char[] existing = Passwords.readFile(file);
        try {
            return Arrays.equals(existing, password);
        } finally {
            Arrays.fill(existing, '\0');
        }
    }
}
