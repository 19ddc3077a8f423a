package io.b24bridge.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A local CA's folder: {@code ca.key} (the CA's private key, encrypted with the CA password, 0600),
 * {@code ca.crt} (its certificate) and {@code issued.txt} (one line per certificate it signed: what to look
 * for when something must be replaced).
 */
public record CaDir(Path dir) {

    public Path key() {
        return dir.resolve("ca.key");
    }

    public Path certificate() {
        return dir.resolve("ca.crt");
    }

    public Path issuedLog() {
        return dir.resolve("issued.txt");
    }

    /** Writes the CA's key (encrypted with {@code password}) and certificate. */
    public void save(LocalCa ca, char[] password) {
        SecureFiles.ensureDir(dir);
        SecureFiles.write(key(), Pem.encryptedKey(ca.key(), password), SecureFiles.SECRET);
        SecureFiles.write(certificate(), Pem.encode(ca.certificate()), SecureFiles.PUBLIC);
    }

    /** Opens the CA: decrypts its key with {@code password} and checks key, certificate and validity. */
    public LocalCa load(char[] password) {
        if (!Files.exists(key())) {
            throw new CertsException("no local CA in " + dir + " (" + key().getFileName() + " is missing):"
                    + " make one with init-ca, or point --ca-dir at it");
        }
        List<X509Certificate> certs = Pem.readCertificates(certificate());
        PrivateKey key = Pem.readKey(key(), password);
        return new LocalCa(key, certs.getFirst());
    }

    /** Records a signed certificate: serial, end date, subject, SHA-256 fingerprint. */
    public void logIssued(X509Certificate c) {
        SecureFiles.appendLine(issuedLog(), String.join("\t", Fingerprints.serial(c),
                c.getNotAfter().toInstant().toString(), Names.subject(c), Fingerprints.sha256(c)), SecureFiles.PUBLIC);
    }
}
