package io.b24bridge.access;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.b24bridge.certs.SecureFiles;

/**
 * The credential of the appliance's own tools on this machine — {@code backup}, {@code doctor}, {@code admin} and the
 * installer's wait for a healthy upgrade — towards its admin listener: a key and a self-signed client certificate the
 * appliance makes in {@code storage.dir/keys} (the key 0600, readable by the service's user and root only) and
 * trusts on the admin listener besides the admin CA. Whatever {@code listeners.admin.client-auth} says, the tools
 * present it and act as {@link Identity#LOCAL_TOOLS} (an administrator): a machine's root and service user may do
 * anything the API allows anyway, and nobody else can read the key.
 */
public record LocalTools(PrivateKey key, X509Certificate certificate) {

    private static final Logger LOG = Logger.getLogger(LocalTools.class.getName());
    static final String KEY_FILE = "local-tools.key";
    static final String CERT_FILE = "local-tools.crt";
    /** Remade this long before it expires, at a start. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** The appliance's start: the credential in {@code keysDir}, made (or remade, near its end) when needed. */
    public static LocalTools ensure(Path keysDir) {
        Optional<LocalTools> known = read(keysDir);
        if (known.isPresent()
                && known.get().certificate().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
            return known.get();
        }
        try {
            SecureFiles.ensureDir(keysDir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X509Certificate cert = selfSigned(pair);
            SecureFiles.write(keysDir.resolve(KEY_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    SecureFiles.SECRET);
            SecureFiles.write(keysDir.resolve(CERT_FILE), pem("CERTIFICATE", cert.getEncoded()), SecureFiles.SECRET);
            LOG.info(() -> "made the local tools' credential in " + keysDir + " (" + cert.getSubjectX500Principal()
                    .getName() + ")");
            return new LocalTools(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("the local tools' credential cannot be made in " + keysDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** A tool's side: the credential the running appliance made, if this user may read it. */
    public static Optional<LocalTools> read(Path keysDir) {
        Path keyFile = keysDir.resolve(KEY_FILE);
        Path certFile = keysDir.resolve(CERT_FILE);
        if (!Files.isReadable(keyFile) || !Files.isReadable(certFile)) {
            return Optional.empty();
        }
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    unpem(Files.readString(keyFile, StandardCharsets.US_ASCII))));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(unpem(Files.readString(certFile, StandardCharsets.US_ASCII))));
            return Optional.of(new LocalTools(key, cert));
        } catch (IOException e) {
            throw new UncheckedIOException("the local tools' credential in " + keysDir + " cannot be read", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.warning("the local tools' credential in " + keysDir + " is damaged (" + e.getMessage()
                    + "): it is made anew at the next start");
            return Optional.empty();
        }
    }

    /** Whether {@code presented} is this credential's certificate (the one the listener trusts for the tools). */
    public boolean is(X509Certificate presented) {
        return certificate.equals(presented);
    }

    private static X509Certificate selfSigned(KeyPair pair) throws OperatorCreationException, IOException,
            GeneralSecurityException {
        byte[] serial = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(serial);
        X500Name subject = new X500Name("CN=b24bridge local tools " + HexFormat.of().formatHex(serial, 0, 4)
                + ",O=b24bridge");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }
}
