package io.b24bridge.access;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import io.b24bridge.store.Database;

/**
 * The local accounts of the admin listener ({@code ADMIN_ACCOUNTS}, its one owner): a name, a role, an Argon2id
 * password hash, and optionally the subject of a client certificate from the admin CA that stands for the account.
 * There is no default account and no default password: the first administrator is made by
 * {@code b24bridge admin create} or with the one-time setup token ({@link FirstRun}). The last enabled administrator
 * cannot be removed, demoted or disabled.
 */
public final class Accounts {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 1024;
    /** Argon2id takes 19 MiB a hash: a burst of logins waits its turn rather than take the heap. */
    private static final int HASHES_AT_ONCE = 4;

    /**
     * An account as the API shows it: never its hash.
     *
     * @param certificateSubject the client certificate's subject (RFC 2253) that stands for this account, or empty
     */
    public record Account(String name, Role role, boolean hasPassword, Optional<String> certificateSubject,
                          boolean disabled, Instant createdAt, Instant changedAt) {
    }

    private final Database db;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore hashing = new Semaphore(HASHES_AT_ONCE, true);
    /** Verified against when the account does not exist, so a wrong name costs what a wrong password costs. */
    private final String decoy;

    public Accounts(Database db) {
        this.db = db;
        this.decoy = PasswordHash.hash("not-a-password-of-anyone".toCharArray(), random);
    }

    public int count() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ADMIN_ACCOUNTS");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    public List<Account> list() {
        return db.inTransaction(c -> {
            List<Account> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY NAME");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(account(rs));
                }
            }
            return out;
        });
    }

    public Optional<Account> find(String name) {
        return db.inTransaction(c -> find(c, name));
    }

    /** Makes an account; the password may be null for one that signs in only by certificate or token. */
    public Account create(String name, Role role, char[] password) {
        checkName(name);
        String hash = password == null ? null : hashOf(name, password);
        Instant now = Instant.now();
        return db.inTransaction(c -> {
            if (find(c, name).isPresent()) {
                throw new AccessException(AccessException.Kind.CONFLICT, "an account named '" + name + "' exists");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ADMIN_ACCOUNTS (NAME, ROLE, PASSWORD_HASH, "
                    + "CERT_SUBJECT, DISABLED, CREATED_AT, CHANGED_AT) VALUES (?, ?, ?, NULL, 0, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, role.name());
                ps.setString(3, hash);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    public void setPassword(String name, char[] password) {
        String hash = hashOf(name, password);
        update(name, "PASSWORD_HASH = ?", ps -> ps.setString(1, hash));
    }

    /**
     * Changes the role, the certificate subject ({@code ""} removes it) or whether the account is disabled; what is
     * null stays. The last enabled administrator keeps being one.
     */
    public Account change(String name, Role role, String certificateSubject, Boolean disabled) {
        String subject = certificateSubject == null ? null : normalSubject(certificateSubject);
        return db.inTransaction(c -> {
            Account before = find(c, name).orElseThrow(() -> notFound(name));
            boolean staysAdmin = (role == null ? before.role() : role) == Role.ADMIN
                    && !(disabled == null ? before.disabled() : disabled);
            if (before.role() == Role.ADMIN && !before.disabled() && !staysAdmin && enabledAdmins(c) == 1) {
                throw new AccessException(AccessException.Kind.CONFLICT, "'" + name + "' is the last enabled "
                        + "administrator: make another one first");
            }
            if (subject != null && !subject.isEmpty()) {
                Optional<Account> holder = byCertificate(c, new X500Principal(subject));
                if (holder.isPresent() && !holder.get().name().equals(name)) {
                    throw new AccessException(AccessException.Kind.CONFLICT, "the certificate subject stands for '"
                            + holder.get().name() + "' already");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ADMIN_ACCOUNTS SET ROLE = ?, CERT_SUBJECT = ?, "
                    + "DISABLED = ?, CHANGED_AT = ? WHERE NAME = ?")) {
                ps.setString(1, (role == null ? before.role() : role).name());
                ps.setString(2, subject == null ? before.certificateSubject().orElse(null)
                        : subject.isEmpty() ? null : subject);
                ps.setInt(3, (disabled == null ? before.disabled() : disabled) ? 1 : 0);
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.setString(5, name);
                ps.executeUpdate();
            }
            return find(c, name).orElseThrow();
        });
    }

    public void delete(String name) {
        db.inTransaction(c -> {
            Account before = find(c, name).orElseThrow(() -> notFound(name));
            if (before.role() == Role.ADMIN && !before.disabled() && enabledAdmins(c) == 1) {
                throw new AccessException(AccessException.Kind.CONFLICT, "'" + name + "' is the last enabled "
                        + "administrator: make another one first");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ADMIN_ACCOUNTS WHERE NAME = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The account's identity when {@code password} is its password and it may sign in; empty otherwise, taking about
     * as long whether the name exists or not.
     */
    public Optional<Identity> verifyPassword(String name, char[] password) {
        Optional<String> hash = name == null || !NAME.matcher(name).matches() ? Optional.empty()
                : db.inTransaction(c -> storedHash(c, name));
        boolean ok;
        hashing.acquireUninterruptibly();
        try {
            ok = PasswordHash.verify(password, hash.orElse(decoy)) && hash.isPresent();
        } finally {
            hashing.release();
        }
        if (!ok) {
            return Optional.empty();
        }
        return find(name).filter(a -> !a.disabled()).map(a -> new Identity(a.name(), a.role(), Identity.Via.SESSION));
    }

    /** The enabled account a client certificate's subject stands for. */
    public Optional<Identity> byCertificate(X500Principal subject) {
        return db.inTransaction(c -> byCertificate(c, subject)).filter(a -> !a.disabled())
                .map(a -> new Identity(a.name(), a.role(), Identity.Via.CERTIFICATE));
    }

    /** A subject as it is stored and compared: RFC 2253; refused when it is not a distinguished name. */
    static String normalSubject(String subject) {
        if (subject.isBlank()) {
            return "";
        }
        try {
            return new X500Principal(subject).getName(X500Principal.RFC2253);
        } catch (IllegalArgumentException e) {
            throw new AccessException(AccessException.Kind.INVALID, "certificateSubject is not a distinguished name "
                    + "like CN=Ivan Petrov,OU=IT,O=Corp");
        }
    }

    // ---- inside a transaction ----

    private static final String SELECT = "SELECT NAME, ROLE, PASSWORD_HASH, CERT_SUBJECT, DISABLED, CREATED_AT, "
            + "CHANGED_AT FROM ADMIN_ACCOUNTS";

    private static Optional<Account> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<String> storedHash(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT PASSWORD_HASH FROM ADMIN_ACCOUNTS WHERE NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Account> byCertificate(Connection c, X500Principal subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE CERT_SUBJECT IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Account a = account(rs);
                if (new X500Principal(a.certificateSubject().orElseThrow()).equals(subject)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static int enabledAdmins(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM ADMIN_ACCOUNTS WHERE ROLE = 'ADMIN' AND DISABLED = 0");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3) != null,
                Optional.ofNullable(rs.getString(4)), rs.getInt(5) != 0, rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7).toInstant());
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String name, String set, Binder binder) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ADMIN_ACCOUNTS SET " + set
                    + ", CHANGED_AT = CURRENT_TIMESTAMP WHERE NAME = ?")) {
                binder.bind(ps);
                ps.setString(ps.getParameterMetaData().getParameterCount(), name);
                if (ps.executeUpdate() == 0) {
                    throw notFound(name);
                }
            }
            return null;
        });
    }

    private String hashOf(String name, char[] password) {
        if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
            throw new AccessException(AccessException.Kind.INVALID, "the password must have " + MIN_PASSWORD + " to "
                    + MAX_PASSWORD + " characters");
        }
        if (Arrays.equals(password, name.toCharArray())) {
            throw new AccessException(AccessException.Kind.INVALID, "the password must not be the account's name");
        }
        hashing.acquireUninterruptibly();
        try {
            return PasswordHash.hash(password, random);
        } finally {
            hashing.release();
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(Identity.LOCAL_TOOLS)) {
            throw new AccessException(AccessException.Kind.INVALID, "the name must be 1 to 64 letters, digits or "
                    + ". _ @ - (and not '" + Identity.LOCAL_TOOLS + "')");
        }
    }

    private static AccessException notFound(String name) {
        return new AccessException(AccessException.Kind.NOT_FOUND, "no account named '" + name + "'");
    }
}
