package io.b24bridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CallJournal;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.store.Database;

/**
 * The call journal: what the CRM knows of each call ({@code CRM_CALLS}, its one owner) — the lifecycle's state,
 * the next command's sequence number, whether the call ended, and what the box taught us about it (its CALL_ID,
 * the CRM entity). A call's change is written in one transaction with the commands it caused (appended to the
 * {@link OutboxQueue}) and the ratings it carries.
 */
public final class CallJournalStore implements CallJournal {

    private final Database db;
    private final StoredJson json;
    private final OutboxQueue queue;
    private final OperatorRatingsStore ratings;
    /** Next SEQ per open call: known once read or written, so appends need no extra query. */
    private final Map<CallKey, Integer> nextSeq = new HashMap<>();
    private final List<Consumer<List<CallKey>>> onRecord = new CopyOnWriteArrayList<>();

    CallJournalStore(Database db, StoredJson json, OutboxQueue queue, OperatorRatingsStore ratings) {
        this.db = db;
        this.json = json;
        this.queue = queue;
        this.ratings = ratings;
    }

    /** Told, after every committed {@link #record}, which calls have new commands: the dispatcher's wake-up. */
    public void afterRecord(Consumer<List<CallKey>> listener) {
        onRecord.add(listener);
    }

    @Override
    public void record(List<CrmLifecycle.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<CallKey, Integer> seqs = new HashMap<>();
        // the calls' rows in one order, the sender's (Outbox.doneAll) too: two transactions over the same calls
        // then wait for each other at most, never in a cycle (a deadlock costs Derby's detection, 20 s by default)
        List<CrmLifecycle.Change> inKeyOrder = changes.stream()
                .sorted(Comparator.comparing(ch -> ch.call().externalCallId())).toList();
        db.inTransaction(c -> {
            Instant now = Instant.now();
            for (CrmLifecycle.Change ch : inKeyOrder) {
                int seq = upsertCall(c, ch, now);
                if (ch.givenCallId() != null) { // a click-to-call: its CALL_ID is known before any command goes
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE CRM_CALLS SET BITRIX_CALL_ID = ? WHERE CALL_KEY = ?")) {
                        ps.setString(1, ch.givenCallId());
                        ps.setString(2, ch.call().externalCallId());
                        ps.executeUpdate();
                    }
                }
                for (CrmCommand cmd : ch.commands()) {
                    queue.append(c, cmd, seq++, now);
                }
                for (CrmLifecycle.Rating r : ch.ratings()) {
                    ratings.insert(c, r);
                }
                seqs.put(ch.call(), seq);
                if (ch.ended()) {
                    update(c, "UPDATE CRM_CALLS SET ENDED = 1 WHERE CALL_KEY = ?", ch.call());
                }
            }
            return null;
        });
        synchronized (nextSeq) {
            nextSeq.putAll(seqs);
            for (CrmLifecycle.Change ch : changes) {
                if (ch.ended()) {
                    nextSeq.remove(ch.call());
                }
            }
        }
        List<CallKey> withCommands = changes.stream().filter(ch -> !ch.commands().isEmpty())
                .map(CrmLifecycle.Change::call).toList();
        if (!withCommands.isEmpty()) {
            onRecord.forEach(l -> l.accept(withCommands));
        }
    }

    private int upsertCall(Connection c, CrmLifecycle.Change ch, Instant now) throws SQLException {
        String key = ch.call().externalCallId();
        String state = json.write(StoredCallState.of(ch.state()));
        Integer known;
        synchronized (nextSeq) {
            known = nextSeq.get(ch.call());
        }
        if (known == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT NEXT_SEQ FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        known = rs.getInt(1);
                    }
                }
            }
        }
        if (known == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO CRM_CALLS (CALL_KEY, STATE, NEXT_SEQ, ENDED, "
                    + "CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 0, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, state);
                ps.setInt(3, ch.commands().size());
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE CRM_CALLS SET STATE = ?, NEXT_SEQ = ?, UPDATED_AT = ? WHERE CALL_KEY = ?")) {
            ps.setString(1, state);
            ps.setInt(2, known + ch.commands().size());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, key);
            ps.executeUpdate();
        }
        return known;
    }

    @Override
    public List<CallCrmState> openCalls() {
        return db.inTransaction(c -> {
            List<CallCrmState> open = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT STATE, NEXT_SEQ FROM CRM_CALLS WHERE ENDED = 0");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallCrmState s = json.read(rs.getString(1), StoredCallState.class).toDomain();
                    open.add(s);
                    synchronized (nextSeq) {
                        nextSeq.put(s.call(), rs.getInt(2));
                    }
                }
            }
            return open;
        });
    }

    @Override
    public boolean knows(CallKey call) {
        return db.inTransactionUpToDate(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Calls {@link #known} asks about in one query; always this many parameters (repeats fill the last chunk). */
    static final int KNOWN_CHUNK = 50;
    /** One SQL text for every chunk, so Derby compiles it once: no IN-list of varying length. */
    private static final String KNOWN_SQL = "SELECT CALL_KEY FROM CRM_CALLS WHERE CALL_KEY IN ("
            + String.join(", ", Collections.nCopies(KNOWN_CHUNK, "?")) + ")";

    @Override
    public Set<CallKey> known(Collection<CallKey> calls) {
        List<CallKey> all = List.copyOf(calls);
        if (all.isEmpty()) {
            return Set.of();
        }
        return db.inTransactionUpToDate(c -> {
            Set<CallKey> known = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(KNOWN_SQL)) {
                for (int from = 0; from < all.size(); from += KNOWN_CHUNK) {
                    List<CallKey> chunk = all.subList(from, Math.min(all.size(), from + KNOWN_CHUNK));
                    for (int i = 0; i < KNOWN_CHUNK; i++) {
                        ps.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)).externalCallId());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            known.add(CallKey.parse(rs.getString(1)));
                        }
                    }
                }
            }
            return known;
        });
    }

    /** The box's CALL_ID of a call, once register returned it. */
    public Optional<String> bitrixCallId(CallKey call) {
        return db.inTransactionUpToDate(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT BITRIX_CALL_ID FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The box's CALL_IDs of these calls (those register returned), read in one transaction. */
    public Map<CallKey, String> bitrixCallIds(List<CallKey> calls) {
        return db.inTransactionUpToDate(c -> {
            Map<CallKey, String> ids = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT BITRIX_CALL_ID FROM CRM_CALLS WHERE CALL_KEY = ?")) {
                for (CallKey call : calls) {
                    ps.setString(1, call.externalCallId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getString(1) != null) {
                            ids.put(call, rs.getString(1));
                        }
                    }
                }
            }
            return ids;
        });
    }

    /** The CRM entity register bound a call to (CONTACT/COMPANY/LEAD and its id), once register returned it. */
    public Optional<CrmEntity> crmEntity(CallKey call) {
        return db.inTransactionUpToDate(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    // created: by this call's register or by an earlier call's (a lead the spine made for an
                    // unknown number stays the spine's answer to that number, not a client who gets tasks)
                    "SELECT c.CRM_ENTITY_TYPE, c.CRM_ENTITY_ID, (SELECT COUNT(*) FROM CRM_CALLS o "
                            + "WHERE o.CRM_ENTITY_TYPE = c.CRM_ENTITY_TYPE AND o.CRM_ENTITY_ID = c.CRM_ENTITY_ID "
                            + "AND o.CRM_ENTITY_CREATED = 1) FROM CRM_CALLS c WHERE c.CALL_KEY = ?")) {
                ps.setString(1, call.externalCallId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        return Optional.of(new CrmEntity(rs.getString(1), rs.getInt(2), rs.getInt(3) != 0));
                    }
                    return Optional.<CrmEntity>empty();
                }
            }
        });
    }

    /** What register taught about a call (its CALL_ID, the entity it bound), inside the caller's transaction. */
    void learned(Connection c, CallKey call, BoxGateway.Registration registration) throws SQLException {
        if (registration.callId() != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE CRM_CALLS SET BITRIX_CALL_ID = ? WHERE CALL_KEY = ?")) {
                ps.setString(1, registration.callId());
                ps.setString(2, call.externalCallId());
                ps.executeUpdate();
            }
        }
        CrmEntity entity = registration.entity();
        if (entity != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE CRM_CALLS SET CRM_ENTITY_TYPE = ?, CRM_ENTITY_ID = ?, CRM_ENTITY_CREATED = ? "
                            + "WHERE CALL_KEY = ?")) {
                ps.setString(1, entity.type());
                ps.setInt(2, entity.id());
                ps.setInt(3, entity.createdByCall() ? 1 : 0);
                ps.setString(4, call.externalCallId());
                ps.executeUpdate();
            }
        }
    }

    private static void update(Connection c, String sql, CallKey call) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, call.externalCallId());
            ps.executeUpdate();
        }
    }
}
