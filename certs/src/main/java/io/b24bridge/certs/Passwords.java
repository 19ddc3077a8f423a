package io.b24bridge.certs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a command's passwords come from: a file named by an option ({@code --password-file},
 * {@code --ca-password-file}), else for the keystore password the working folder's {@code store.pass}, else the
 * prompt. Each is asked for once per command. A new password is asked twice and must have 8 characters or more.
 */
public final class Passwords {

    static final int MIN_LENGTH = 8;

    private final PasswordPrompt prompt;
    private final Optional<Path> storeFile;
    private final Optional<Path> caFile;
    private final Path defaultStoreFile;
    private final Consumer<String> warn;
    private char[] store;
    private char[] ca;

    /**
     * @param storeFile        {@code --password-file}, if given
     * @param caFile           {@code --ca-password-file}, if given
     * @param defaultStoreFile the working folder's {@code store.pass}, used when it exists
     * @param warn             where to say that a password file is open to others
     */
    public Passwords(PasswordPrompt prompt, Optional<Path> storeFile, Optional<Path> caFile, Path defaultStoreFile,
                     Consumer<String> warn) {
        this.prompt = prompt;
        this.storeFile = storeFile;
        this.caFile = caFile;
        this.defaultStoreFile = defaultStoreFile;
        this.warn = warn;
    }

    /** The keystore password, to open what exists. */
    public char[] store() {
        if (store == null) {
            store = obtain(storeFile.or(this::existingDefault), "Keystore password (store.pass)", false);
        }
        return store;
    }

    /** The keystore password, to protect something new: asked twice when it is typed. */
    public char[] newStore() {
        if (store == null) {
            store = obtain(storeFile.or(this::existingDefault), "New keystore password (store.pass)", true);
        }
        return store;
    }

    /** Whether the keystore password comes from a file rather than the prompt. */
    public boolean storeFromFile() {
        return storeFile.or(this::existingDefault).isPresent();
    }

    /** The local CA's key password. */
    public char[] ca() {
        if (ca == null) {
            ca = obtain(caFile, "Password of the local CA's key", false);
        }
        return ca;
    }

    public char[] newCa() {
        if (ca == null) {
            ca = obtain(caFile, "New password for the local CA's key", true);
        }
        return ca;
    }

    /** Forgets the passwords (overwrites the arrays). */
    public void clear() {
        if (store != null) {
            Arrays.fill(store, '\0');
        }
        if (ca != null) {
            Arrays.fill(ca, '\0');
        }
    }

    private Optional<Path> existingDefault() {
        return Files.isRegularFile(defaultStoreFile) ? Optional.of(defaultStoreFile) : Optional.empty();
    }

    private char[] obtain(Optional<Path> file, String question, boolean isNew) {
        if (file.isPresent()) {
            // group read is how the service account reads store.pass (root:b24bridge 0640); others never should
            String perms = SecureFiles.permissionsOf(file.get());
            if (perms.length() == 9 && (!perms.endsWith("---") || perms.charAt(4) == 'w')) {
                warn.accept(file.get() + " is open to other users (" + perms + "): chmod 600 (or 640 for the"
                        + " service's group)");
            }
            char[] p = readFile(file.get());
            if (isNew) {
                requireStrong(p, "the password in " + file.get());
            }
            return p;
        }
        char[] first = prompt.ask(question);
        if (!isNew) {
            return first;
        }
        requireStrong(first, "the password");
        char[] again = prompt.ask("Again, to be sure");
        try {
            if (!Arrays.equals(first, again)) {
                throw new CertsException("the two passwords differ: nothing was written");
            }
        } finally {
            Arrays.fill(again, '\0');
        }
        return first;
    }

    /** The first line of a password file, without surrounding blanks (as the appliance reads it). */
    public static char[] readFile(Path file) {
        byte[] bytes = SecureFiles.read(file, "password file");
        String text = new String(bytes, StandardCharsets.UTF_8);
        String first = text.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw new CertsException(file + " has an empty first line: the password goes there");
        }
        return first.toCharArray();
    }

    /** Refuses passwords a guesser would find; 8 characters is the floor, a random 16+ is better. */
    static void requireStrong(char[] password, String what) {
        if (password == null || password.length < MIN_LENGTH) {
            throw new CertsException(what + " is too short: at least " + MIN_LENGTH + " characters");
        }
        if (Character.isWhitespace(password[0]) || Character.isWhitespace(password[password.length - 1])) {
            // password files are read as their stripped first line, so such a password would not round-trip
            throw new CertsException(what + " begins or ends with a blank: leave those out");
        }
    }
}
