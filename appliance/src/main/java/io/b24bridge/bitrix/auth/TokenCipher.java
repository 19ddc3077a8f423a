package io.b24bridge.bitrix.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.b24bridge.config.Secret;

/**
 * Encrypts tokens for the database with AES-256-GCM. The key is a file of its own (made on first use,
 * 0600) outside the database, so a database copy alone reveals nothing. Each value has a fresh IV and is
 * bound to its column name, so values cannot be swapped between columns unnoticed.
 */
public final class TokenCipher {

    private static final Logger LOG = Logger.getLogger(TokenCipher.class.getName());
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private TokenCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the key from {@code file}, making it first when it does not exist. */
    public static TokenCipher fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                // made 0600 from the first byte: no moment in which the umask's mode lets others read it
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.TRUNCATE_EXISTING);
                LOG.warning("made a new token key " + file + ": tokens stored with another key cannot be read with it");
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                throw new IllegalStateException("token key file '" + file + "' is damaged (expected 32 bytes)");
            }
            return new TokenCipher(key);
        } catch (IOException e) {
            throw new UncheckedIOException("token key file '" + file + "' cannot be read or made", e);
        }
    }

    /** A stored value does not open with this key: the key file is not the one the database was written with. */
    public static final class KeyMismatch extends IllegalStateException {
        KeyMismatch(Throwable cause) {
            super("a stored token cannot be decrypted: the token key file does not belong to this database", cause);
        }
    }

    public String encrypt(Secret value, String column) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(column.getBytes(StandardCharsets.US_ASCII));
            byte[] ct = c.doFinal(value.revealString().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    public Secret decrypt(String stored, String column) {
        try {
            byte[] in = Base64.getDecoder().decode(stored);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            c.updateAAD(column.getBytes(StandardCharsets.US_ASCII));
            byte[] pt = c.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return Secret.of(new String(pt, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyMismatch(e);
        }
    }
}
