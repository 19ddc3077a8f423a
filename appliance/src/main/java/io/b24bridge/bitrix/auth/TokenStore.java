package io.b24bridge.bitrix.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.config.Secret;
import io.b24bridge.store.Database;

/**
 * Keeps the application's {@link Tokens} in Derby, encrypted; the one owner of the {@code BITRIX_AUTH} row.
 * Stored tokens that do not open with the key (the database restored on another host, {@code keys/} lost) do not
 * stop the start: the appliance runs without them — calls are followed, the outbox keeps what the CRM must be told —
 * and says so ({@link #unreadable()}) until the right key is put back and the service restarted, or the application
 * is installed again, whose tokens replace the unreadable ones.
 */
public final class TokenStore {

    private static final Logger LOG = Logger.getLogger(TokenStore.class.getName());

    private final Database db;
    private final TokenCipher cipher;
    private volatile Optional<Tokens> cached;
    private volatile boolean unreadable;

    public TokenStore(Database db, TokenCipher cipher) {
        this.db = db;
        this.cipher = cipher;
        try {
            this.cached = load();
        } catch (TokenCipher.KeyMismatch e) {
            this.cached = Optional.empty();
            this.unreadable = true;
            LOG.severe("the stored Bitrix24 tokens cannot be read with the token key (storage.dir/keys/"
                    + "bitrix24-tokens.key does not belong to this database): nothing reaches the box until the key "
                    + "of this database is put back (then restart), or the application is installed again (arm it "
                    + "with POST /api/bitrix24/install, then reinstall it in Bitrix24); calls are kept meanwhile");
        }
    }

    public Optional<Tokens> current() {
        return cached;
    }

    /** Tokens are stored but do not open with the key: the application must be installed again, or the key restored. */
    public boolean unreadable() {
        return unreadable;
    }

    public synchronized void save(Tokens t) {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM BITRIX_AUTH WHERE ID = 1")) {
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO BITRIX_AUTH (ID, ACCESS_TOKEN, "
                    + "REFRESH_TOKEN, EXPIRES_AT, APPLICATION_TOKEN, MEMBER_ID, DOMAIN, SERVER_ENDPOINT, "
                    + "CLIENT_ENDPOINT, SOURCE, UPDATED_AT) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, cipher.encrypt(t.accessToken(), "ACCESS_TOKEN"));
                ps.setString(2, cipher.encrypt(t.refreshToken(), "REFRESH_TOKEN"));
                ps.setTimestamp(3, Timestamp.from(t.expiresAt()));
                ps.setString(4, t.applicationToken() == null ? null
                        : cipher.encrypt(t.applicationToken(), "APPLICATION_TOKEN"));
                ps.setString(5, t.memberId());
                ps.setString(6, t.domain());
                ps.setString(7, t.serverEndpoint());
                ps.setString(8, t.clientEndpoint());
                ps.setString(9, t.source());
                ps.setTimestamp(10, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            return null;
        });
        cached = Optional.of(t);
        unreadable = false;
    }

    private Optional<Tokens> load() {
        return db.inTransaction(this::read);
    }

    private Optional<Tokens> read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ACCESS_TOKEN, REFRESH_TOKEN, EXPIRES_AT, "
                + "APPLICATION_TOKEN, MEMBER_ID, DOMAIN, SERVER_ENDPOINT, CLIENT_ENDPOINT, SOURCE FROM BITRIX_AUTH "
                + "WHERE ID = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String app = rs.getString(4);
            Secret applicationToken = app == null ? null : cipher.decrypt(app, "APPLICATION_TOKEN");
            return Optional.of(new Tokens(cipher.decrypt(rs.getString(1), "ACCESS_TOKEN"),
                    cipher.decrypt(rs.getString(2), "REFRESH_TOKEN"), rs.getTimestamp(3).toInstant(),
                    applicationToken, rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                    rs.getString(9)));
        }
    }
}
