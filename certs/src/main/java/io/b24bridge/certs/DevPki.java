package io.b24bridge.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away development PKI for the sandbox and the tests: one CA, and server/client key pairs for the
 * appliance and for the (emulated) box, written as PKCS#12 files that share one random password.
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

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevPki() {
    }

    /**
     * Makes the development PKI in {@code dir} unless it is already there (then it is reused as is).
     *
     * @param dir         folder to hold the files (created, 0700)
     * @param serverNames DNS names and IP addresses for the server certificates' SAN
     */
    public static Files ensure(Path dir, List<String> serverNames) {
        Files files = new Files(dir, dir.resolve("ca.pem"), dir.resolve("trust.p12"),
                dir.resolve("appliance-server.p12"), dir.resolve("appliance-client.p12"),
                dir.resolve("box-server.p12"), dir.resolve("box-client.p12"), dir.resolve("store.pass"));
        if (java.nio.file.Files.exists(files.boxClient()) && java.nio.file.Files.exists(files.passwordFile())) {
            return files;
        }
        try {
            java.nio.file.Files.createDirectories(dir);
            restrict(dir, "rwx------");
            char[] password = HexFormat.of().formatHex(randomBytes(16)).toCharArray();
            writeSecret(files.passwordFile(), new String(password) + "\n");

            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=b24bridge development CA, O=b24bridge sandbox");
            X509Certificate ca = sign(caName, caKeys, caName, CA_LIFETIME, true, null, List.of(), caKeys, null);
            writeSecret(files.caPem(), pem(ca));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            store(trust, files.trustStore(), password);

            issue(files.applianceServer(), "b24bridge appliance", serverNames, KeyPurposeId.id_kp_serverAuth,
                    ca, caKeys, caName, password);
            issue(files.applianceClient(), "b24bridge appliance client", List.of(), KeyPurposeId.id_kp_clientAuth,
                    ca, caKeys, caName, password);
            issue(files.boxServer(), "bitrix24 box", serverNames, KeyPurposeId.id_kp_serverAuth,
                    ca, caKeys, caName, password);
            issue(files.boxClient(), "bitrix24 box client", List.of(), KeyPurposeId.id_kp_clientAuth,
                    ca, caKeys, caName, password);
            return files;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the development PKI in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A second, unrelated CA with one client certificate: for tests that a foreign certificate is refused. */
    public static Path foreignClient(Path dir, char[] password) {
        try {
            java.nio.file.Files.createDirectories(dir);
            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=some other CA");
            X509Certificate ca = sign(caName, caKeys, caName, CA_LIFETIME, true, null, List.of(), caKeys, null);
            Path file = dir.resolve("foreign-client.p12");
            issue(file, "intruder", List.of(), KeyPurposeId.id_kp_clientAuth, ca, caKeys, caName, password);
            return file;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void issue(Path file, String cn, List<String> sans, KeyPurposeId eku, X509Certificate ca,
                              KeyPair caKeys, X500Name caName, char[] password)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        X509Certificate cert = sign(new X500Name("CN=" + cn + ", O=b24bridge sandbox"), keys, caName,
                LEAF_LIFETIME, false, eku, sans, caKeys, ca);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("1", keys.getPrivate(), password, new Certificate[] {cert, ca});
        store(ks, file, password);
    }

    /** Signs a certificate; {@code issuerCert == null} means self-signed (then issuerKeys are the subject's). */
    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, Duration lifetime,
                                        boolean isCa, KeyPurposeId eku, List<String> sans, KeyPair issuerKeys,
                                        X509Certificate issuerCert)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(lifetime)),
                subject, subjectKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        if (issuerCert != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerCert));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        if (!sans.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                names.add(isIpLiteral(san)
                        ? new GeneralName(GeneralName.iPAddress, san)
                        : new GeneralName(GeneralName.dNSName, san));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("(\\d{1,3}\\.){3}\\d{1,3}") || s.contains(":");
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return gen.generateKeyPair();
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        try (OutputStream out = java.nio.file.Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ks.store(out, password);
        }
        restrict(file, "rw-------");
    }

    private static void writeSecret(Path file, String text) throws IOException {
        java.nio.file.Files.writeString(file, text, StandardCharsets.US_ASCII);
        restrict(file, "rw-------");
    }

    private static void restrict(Path path, String perms) throws IOException {
        try {
            java.nio.file.Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to tighten
        }
    }

    private static String pem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
