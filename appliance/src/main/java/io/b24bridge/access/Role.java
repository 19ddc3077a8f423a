package io.b24bridge.access;

import java.util.Locale;
import java.util.Optional;

/** What an account may do on the admin listener. */
public enum Role {
    /** reads everything an operator reads: settings, health, the outbox, ratings */
    VIEWER,
    /** changes settings, retries dead letters, makes backups, manages accounts and the audit log */
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        return this.ordinal() >= needed.ordinal();
    }

    /** {@code "admin"} / {@code "viewer"}, as the API writes it. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String key) {
        for (Role r : values()) {
            if (r.key().equals(key)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
