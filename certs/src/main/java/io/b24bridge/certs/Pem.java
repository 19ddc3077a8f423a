package io.b24bridge.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM and DER: certificates, CSRs, and private keys encrypted with a password (PKCS#8, PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC — what {@code openssl pkey} and nginx's {@code ssl_password_file} read).
 */
public final class Pem {

    /** PBKDF2 rounds for key files: OWASP's figure for HMAC-SHA256; a key file is also 0600. */
    static final int KEY_ITERATIONS = 310_000;

    private Pem() {
    }

    public static String encode(X509Certificate cert) {
        return write(cert);
    }

    public static String encode(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        certs.forEach(c -> sb.append(write(c)));
        return sb.toString();
    }

    public static String encode(PKCS10CertificationRequest csr) {
        return write(csr);
    }

    /** A private key as an encrypted PKCS#8 PEM block ({@code ENCRYPTED PRIVATE KEY}). */
    public static String encryptedKey(PrivateKey key, char[] password) {
        Passwords.requireStrong(password, "the key's password");
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(KEY_ITERATIONS)
                    .setPassword(password)
                    .setProvider(bc())
                    .build();
            return write(new JcaPKCS8Generator(key, encryptor));
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the key", e);
        }
    }

    /**
     * Every certificate in a file: PEM (one or more {@code CERTIFICATE} blocks, or a {@code PKCS7} bundle),
     * DER, or DER PKCS#7. Anything else is refused with a message saying what the file seems to hold.
     */
    public static List<X509Certificate> readCertificates(Path file) {
        byte[] bytes = SecureFiles.read(file, "certificate file");
        List<X509Certificate> certs = new ArrayList<>();
        if (isPem(bytes)) {
            for (PemObject o : pemObjects(file, bytes)) {
                switch (o.getType()) {
                    case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PKCS7" ->
                            certs.addAll(parseCertificates(file, o.getContent()));
                    default -> throw new CertsException(file + " holds a PEM \"" + o.getType()
                            + "\", not a certificate" + hint(o.getType()));
                }
            }
        } else {
            certs.addAll(parseCertificates(file, bytes));
        }
        if (certs.isEmpty()) {
            throw new CertsException(file + " holds no certificate");
        }
        return certs;
    }

    /** A CSR, PEM ({@code CERTIFICATE REQUEST}) or DER. */
    public static PKCS10CertificationRequest readCsr(Path file) {
        byte[] bytes = SecureFiles.read(file, "CSR file");
        byte[] der = bytes;
        if (isPem(bytes)) {
            List<PemObject> objects = pemObjects(file, bytes);
            PemObject o = objects.getFirst();
            if (!o.getType().equals("CERTIFICATE REQUEST") && !o.getType().equals("NEW CERTIFICATE REQUEST")) {
                throw new CertsException(file + " holds a PEM \"" + o.getType() + "\", not a certificate signing request");
            }
            der = o.getContent();
        }
        try {
            return new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new CertsException(file + " is not a certificate signing request (PKCS#10, PEM or DER)");
        }
    }

    /**
     * A private key from a PEM file: encrypted PKCS#8 (decrypted with {@code password}), or a plain PKCS#8 /
     * traditional RSA/EC key as OpenSSL writes them.
     */
    public static PrivateKey readKey(Path file, char[] password) {
        byte[] bytes = SecureFiles.read(file, "key file");
        if (!isPem(bytes)) {
            throw new CertsException(file + " is not a PEM private key file");
        }
        PemObject o = pemObjects(file, bytes).getFirst();
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o.getType()) {
                case "ENCRYPTED PRIVATE KEY" -> {
                    PKCS8EncryptedPrivateKeyInfo info = new PKCS8EncryptedPrivateKeyInfo(o.getContent());
                    PrivateKeyInfo plain;
                    try {
                        plain = info.decryptPrivateKeyInfo(
                                new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc()).build(password));
                    } catch (PKCSException | RuntimeException e) {
                        throw new CertsException("wrong password for " + file + " (or the file is damaged)");
                    }
                    yield converter.getPrivateKey(plain);
                }
                case "PRIVATE KEY" -> converter.getPrivateKey(PrivateKeyInfo.getInstance(o.getContent()));
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (new String(bytes, StandardCharsets.US_ASCII).contains("Proc-Type:")) {
                        throw new CertsException(file + " is a legacy OpenSSL-encrypted key: convert it with"
                                + " 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file + "'");
                    }
                    var parser = new org.bouncycastle.openssl.PEMParser(new StringReader(
                            new String(bytes, StandardCharsets.US_ASCII)));
                    Object parsed = parser.readObject();
                    yield converter.getKeyPair((PEMKeyPair) parsed).getPrivate();
                }
                default -> throw new CertsException(file + " holds a PEM \"" + o.getType() + "\", not a private key");
            };
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new CertsException(file + " holds a private key that cannot be read: " + e.getMessage());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot decrypt keys", e);
        }
    }

    /** Looks like PEM: the first non-blank text starts with a {@code -----BEGIN} line somewhere. */
    static boolean isPem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    private static List<PemObject> pemObjects(Path file, byte[] bytes) {
        List<PemObject> list = new ArrayList<>();
        try (PemReader r = new PemReader(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                list.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new CertsException(file + " is damaged PEM: " + e.getMessage());
        }
        if (list.isEmpty()) {
            throw new CertsException(file + " holds no complete PEM block");
        }
        return list;
    }

    private static Collection<X509Certificate> parseCertificates(Path file, byte[] der) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> list = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(der))) {
                list.add((X509Certificate) c);
            }
            return list;
        } catch (CertificateException | RuntimeException e) {
            throw new CertsException(file + " is not a certificate (neither PEM nor DER X.509)");
        }
    }

    private static String hint(String type) {
        if (type.contains("PRIVATE KEY")) {
            return " (a private key: never pass it around)";
        }
        if (type.contains("CERTIFICATE REQUEST")) {
            return " (a CSR: it becomes a certificate once signed)";
        }
        return "";
    }

    private static String write(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (o instanceof JcaPKCS8Generator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return sw.toString();
    }

    /**
     * A BouncyCastle provider for PBES2 (the JDK's providers lack the cipher names BouncyCastle asks for). It is
     * handed to the operation only, never installed in the JVM's provider list.
     */
    private static Provider bc() {
        return new BouncyCastleProvider();
    }
}
