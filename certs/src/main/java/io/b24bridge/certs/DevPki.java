package io.b24bridge.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A throw-away development PKI for the sandbox and the tests: one CA, and server/client key pairs for the
 * appliance and for the (emulated) box, written as PKCS#12 files that share one random password. Built with
 * the same {@link Pki} and {@link Bundle} the security team's tool uses.
 *
 * <p>Never for production: there the security team issues certificates with the {@code certs} tool from the
 * corporate CA. The files are 0600 and the password lives next to them in {@code store.pass}.
 */
public final class DevPki {

    /** The files {@link #ensure} lays down in its folder. */
    public record Files(Path dir, Path caPem, Path trustStore, Path applianceServer, Path applianceClient,
                        Path boxServer, Path boxClient, Path passwordFile) {

        /** The shared keystore password (read from {@link #passwordFile()}). */
        public char[] password() {
            try {
                return java.nio.file.Files.readString(passwordFile).strip().toCharArray();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + passwordFile, e);
            }
        }
    }

    private static final long CA_DAYS = 3650;
    private static final long LEAF_DAYS = 825;
    private static final String ORG = ", O=b24bridge sandbox";

    private DevPki() {
    }

    /**
     * Makes the development PKI in {@code dir} unless it is already there (then it is reused as is).
     *
     * @param dir         folder to hold the files (created, 0700)
     * @param serverNames DNS names and IP addresses for the server certificates' SAN
     */
    public static Files ensure(Path dir, List<String> serverNames) {
        Bundle.Layout layout = Bundle.Layout.of(dir);
        Files files = new Files(dir, dir.resolve("ca.pem"), layout.trustStore(), layout.serverKeyStore(),
                layout.clientKeyStore(), dir.resolve("box-server.p12"), dir.resolve("box-client.p12"),
                layout.passwordFile());
        if (java.nio.file.Files.exists(files.boxClient()) && java.nio.file.Files.exists(files.passwordFile())) {
            return files;
        }
        try {
            SecureFiles.ensureDir(dir);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            char[] password = HexFormat.of().formatHex(random).toCharArray();

            LocalCa ca = Pki.initCa(new CaSpec("CN=b24bridge development CA" + ORG, KeyType.EC_P256,
                    Validity.days(CA_DAYS), 0));
            SubjectAltNames names = SubjectAltNames.of(serverNames.isEmpty() ? List.of("localhost") : serverNames);
            Validity leaf = Validity.days(LEAF_DAYS);
            KeyAndChain applianceServer = Pki.issue(ca, new LeafSpec(Role.SERVER, "CN=b24bridge appliance" + ORG,
                    names, KeyType.EC_P256), leaf);
            KeyAndChain applianceClient = Pki.issue(ca, new LeafSpec(Role.CLIENT, "CN=b24bridge appliance client"
                    + ORG, SubjectAltNames.none(), KeyType.EC_P256), leaf);
            KeyAndChain boxServer = Pki.issue(ca, new LeafSpec(Role.SERVER, "CN=bitrix24 box" + ORG, names,
                    KeyType.EC_P256), leaf);
            KeyAndChain boxClient = Pki.issue(ca, new LeafSpec(Role.CLIENT, "CN=bitrix24 box client" + ORG,
                    SubjectAltNames.none(), KeyType.EC_P256), leaf);

            SecureFiles.write(files.caPem(), Pem.encode(ca.certificate()), SecureFiles.SECRET);
            // overwrite: a half-made set from an interrupted run is replaced as a whole
            Bundle.write(dir, password, Map.of(Role.SERVER, applianceServer, Role.CLIENT, applianceClient),
                    List.of(ca.certificate()), true);
            Stores.writeKeyStore(files.boxServer(), "box-server", boxServer, password);
            // written last: its presence says the set is complete
            Stores.writeKeyStore(files.boxClient(), "box-client", boxClient, password);
            return files;
        } catch (CertsException e) {
            throw new IllegalStateException("cannot create the development PKI in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A second, unrelated CA with one client certificate: for tests that a foreign certificate is refused. */
    public static Path foreignClient(Path dir, char[] password) {
        try {
            SecureFiles.ensureDir(dir);
            LocalCa ca = Pki.initCa(CaSpec.of("CN=some other CA"));
            KeyAndChain intruder = Pki.issue(ca, LeafSpec.client("CN=intruder" + ORG), Validity.days(LEAF_DAYS));
            Path file = dir.resolve("foreign-client.p12");
            Stores.writeKeyStore(file, "intruder", intruder, password);
            return file;
        } catch (CertsException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
