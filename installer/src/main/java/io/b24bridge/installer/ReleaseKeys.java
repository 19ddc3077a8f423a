package io.b24bridge.installer;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The release signing keys: Ed25519, stored as PEM (PKCS#8 private key, SubjectPublicKeyInfo public key), the
 * same files {@code openssl genpkey -algorithm ed25519} writes, so a release manager may make the key with
 * either tool and an operator can check a signature with {@code openssl pkeyutl -verify -rawin}.
 */
public final class ReleaseKeys {

    private ReleaseKeys() {
    }

    public static Ed25519PrivateKeyParameters generate() {
        return new Ed25519PrivateKeyParameters(new SecureRandom());
    }

    /** Writes the private key, readable by its owner only (made so before a byte of the key is written). */
    public static void writePrivate(Path file, Ed25519PrivateKeyParameters key) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()),
                StandardCharsets.US_ASCII);
    }

    public static void writePublic(Path file, Ed25519PublicKeyParameters key) throws IOException {
        Files.writeString(file, publicPem(key), StandardCharsets.US_ASCII);
    }

    public static String publicPem(Ed25519PublicKeyParameters key) throws IOException {
        return pem("PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
    }

    public static Ed25519PrivateKeyParameters readPrivate(Path file) throws IOException {
        AsymmetricKeyParameter key = PrivateKeyFactory.createKey(read(file, "PRIVATE KEY"));
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return ed;
        }
        throw new IOException("'" + file + "' is not an Ed25519 private key");
    }

    public static Ed25519PublicKeyParameters readPublic(Path file) throws IOException {
        AsymmetricKeyParameter key = PublicKeyFactory.createKey(read(file, "PUBLIC KEY"));
        if (key instanceof Ed25519PublicKeyParameters ed) {
            return ed;
        }
        throw new IOException("'" + file + "' is not an Ed25519 public key");
    }

    /**
     * {@code SHA256:<hex>} of the key's DER SubjectPublicKeyInfo: what the release notes publish, and what
     * {@code openssl pkey -pubin -in KEY -outform DER | sha256sum} prints too.
     */
    public static String fingerprint(Ed25519PublicKeyParameters key) {
        try {
            byte[] der = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
            return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts {@code SHA256:hex}, plain hex, upper or lower case, with or without colons. */
    public static boolean sameFingerprint(String expected, Ed25519PublicKeyParameters key) {
        String norm = expected.strip().toLowerCase(java.util.Locale.ROOT).replaceFirst("^sha256:", "").replace(":", "");
        return fingerprint(key).substring("SHA256:".length()).equals(norm);
    }

    public static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    private static byte[] read(Path file, String type) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PemReader pem = new PemReader(r)) {
            PemObject o = pem.readPemObject();
            if (o == null || !o.getType().equals(type)) {
                throw new IOException("'" + file + "' holds no PEM '" + type + "'");
            }
            return o.getContent();
        }
    }
}
