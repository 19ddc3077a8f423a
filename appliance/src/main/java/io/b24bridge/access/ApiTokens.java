package io.b24bridge.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.b24bridge.store.Database;

/**
 * API tokens for scripts ({@code API_TOKENS}, its one owner): {@code b24b_<id>_<secret>}, sent as
 * {@code Authorization: Bearer …}, acting as the account that owns them with its role. The token is shown once, when
 * it is made; only the SHA-256 of its secret part is kept (a 256-bit random secret needs no slow hash), compared in
 * constant time. Deleting the account or the token ends it.
 */
public final class ApiTokens {

    private static final Pattern TOKEN = Pattern.compile("b24b_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@-]{1,100}");
    /** A token's last use is written at most this often: a script polling /health must not write on every call. */
    private static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);

    /** A token as listed: never its secret. */
    public record Token(String id, String account, String name, Instant createdAt, Instant lastUsedAt) {
    }

    /** A token just made: {@code secret} is the whole token, shown this once. */
    public record Issued(Token token, String secret) {
    }

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(Database db) {
        this.db = db;
    }

    public Issued issue(String account, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccessException(AccessException.Kind.INVALID, "the token's name must be 1 to 100 letters, "
                    + "digits, spaces or . _ @ -");
        }
        byte[] idBytes = new byte[8];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = Instant.now();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ADMIN_ACCOUNTS WHERE NAME = ?")) {
                ps.setString(1, account);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new AccessException(AccessException.Kind.NOT_FOUND, "no account named '" + account + "'");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO API_TOKENS (ID, ACCOUNT, NAME, SECRET_HASH, "
                    + "CREATED_AT) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, account);
                ps.setString(3, name);
                ps.setString(4, sha256(secret));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return null;
        });
        return new Issued(new Token(id, account, name, now, null), "b24b_" + id + "_" + secret);
    }

    /** The identity a presented token stands for: its account's, while the account is enabled. */
    public Optional<Identity> verify(String presented) {
        Matcher m = presented == null ? null : TOKEN.matcher(presented);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        byte[] given = sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT T.SECRET_HASH, T.LAST_USED_AT, A.NAME, A.ROLE, "
                    + "A.DISABLED FROM API_TOKENS T JOIN ADMIN_ACCOUNTS A ON A.NAME = T.ACCOUNT WHERE T.ID = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !MessageDigest.isEqual(rs.getString(1).getBytes(StandardCharsets.US_ASCII), given)
                            || rs.getInt(5) != 0) {
                        return Optional.<Identity>empty();
                    }
                    Timestamp last = rs.getTimestamp(2);
                    Identity who = new Identity(rs.getString(3), Role.valueOf(rs.getString(4)), Identity.Via.TOKEN);
                    if (last == null || Duration.between(last.toInstant(), Instant.now()).compareTo(LAST_USED_EVERY) > 0) {
                        touch(c, id);
                    }
                    return Optional.of(who);
                }
            }
        });
    }

    /** The tokens of an account (all accounts when null). */
    public List<Token> list(String account) {
        return db.inTransaction(c -> {
            List<Token> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ID, ACCOUNT, NAME, CREATED_AT, LAST_USED_AT "
                    + "FROM API_TOKENS" + (account == null ? "" : " WHERE ACCOUNT = ?") + " ORDER BY CREATED_AT")) {
                if (account != null) {
                    ps.setString(1, account);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp last = rs.getTimestamp(5);
                        out.add(new Token(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), last == null ? null : last.toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** Ends a token of {@code account}; false when there was none. */
    public boolean revoke(String account, String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM API_TOKENS WHERE ID = ? AND ACCOUNT = ?")) {
                ps.setString(1, id);
                ps.setString(2, account);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void touch(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE API_TOKENS SET LAST_USED_AT = ? WHERE ID = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
