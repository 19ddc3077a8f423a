package io.b24bridge.access;

import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.store.Database;

/**
 * Who may use the admin listener, as one bundle for the wiring: the accounts, API tokens, the panel's sessions,
 * the login throttle, the audit log, the local tools' credential and the first-run setup token.
 */
public record Access(Accounts accounts, ApiTokens tokens, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                     LocalTools localTools, FirstRun firstRun) {

    /** The parts over the database, the local tools' credential made (or read) in {@code keysDir}. */
    public static Access open(Database db, Path keysDir, ObjectMapper mapper, Clock clock) {
        Accounts accounts = new Accounts(db);
        return new Access(accounts, new ApiTokens(db), new Sessions(clock), new LoginThrottle(clock),
                new AuditLog(db, mapper), LocalTools.ensure(keysDir), new FirstRun(keysDir, accounts));
    }
}
