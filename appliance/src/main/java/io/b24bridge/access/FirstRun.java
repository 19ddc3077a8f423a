package io.b24bridge.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

import io.b24bridge.certs.SecureFiles;

/**
 * The first administrator, with no default password anywhere: while no account exists, the appliance writes a
 * one-time setup token to {@code storage.dir/keys/setup-token} (0600: the service's user and root read it) and the
 * log says where it is — not the token. Whoever can read it makes the first administrator with it
 * ({@code POST /api/setup}, the panel's first page); or {@code b24bridge admin create} makes one on the machine. Once
 * an account exists the token is gone.
 */
public final class FirstRun {

    private static final Logger LOG = Logger.getLogger(FirstRun.class.getName());
    static final String FILE = "setup-token";

    private final Path file;
    private final Accounts accounts;
    private volatile String token;

    public FirstRun(Path keysDir, Accounts accounts) {
        this.file = keysDir.resolve(FILE);
        this.accounts = accounts;
    }

    /** At start: a fresh setup token when nobody can sign in yet, else none. */
    public void prepare(String adminCommandHint) {
        if (accounts.count() > 0) {
            forget();
            return;
        }
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        SecureFiles.ensureDir(file.getParent());
        SecureFiles.write(file, token + "\n", SecureFiles.SECRET);
        LOG.warning("no administrator account yet: make the first one on this machine with `" + adminCommandHint
                + "`, or in the panel with the one-time setup token in " + file + " (readable by root and the "
                + "service's user)");
    }

    /** Whether the first administrator is still to be made. */
    public boolean needed() {
        return token != null && accounts.count() == 0;
    }

    /** Whether {@code presented} is the setup token, while it is valid. */
    public boolean accepts(String presented) {
        String t = token;
        return t != null && presented != null && accounts.count() == 0
                && MessageDigest.isEqual(t.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The first account exists: the token goes. */
    public void forget() {
        token = null;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warning("the used setup token " + file + " could not be deleted: delete it by hand");
        }
    }
}
