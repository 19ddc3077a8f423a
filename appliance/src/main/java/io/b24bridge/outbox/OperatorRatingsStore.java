package io.b24bridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.store.Database;

/**
 * The callers' 1–5 ratings, one row per rated call, kept per operator (the extension that talked; a mobile's
 * responsible for a forwarded call) for the dashboard. The one owner of {@code OPERATOR_RATINGS}; rows are
 * written by {@link CallJournalStore#record} in the transaction of the call change that carries them.
 */
public final class OperatorRatingsStore {

    /** One operator's ratings since a moment: how many, their average, and how many of each vote. */
    public record OperatorRatings(String operator, int count, double average, Map<Integer, Integer> byVote) {
    }

    private final Database db;
    private final IdSequence ids = new IdSequence("OPERATOR_RATINGS");

    OperatorRatingsStore(Database db) {
        this.db = db;
    }

    /** Stores one rating inside the caller's transaction. DELIVERY: FINISH (the VOTE) or COMMENT (came later). */
    void insert(Connection c, CrmLifecycle.Rating r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO OPERATOR_RATINGS (CALL_KEY, OPERATOR, VOTE, "
                + "RATED_AT, DELIVERY, ID) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.call().externalCallId());
            ps.setString(2, r.operator());
            ps.setInt(3, r.vote());
            ps.setTimestamp(4, Timestamp.from(r.at()));
            ps.setString(5, r.inFinish() ? "FINISH" : "COMMENT");
            ps.setLong(6, ids.next(c));
            ps.executeUpdate();
        }
    }

    /** The ratings per operator (extension) since {@code since}, operators in order. */
    public List<OperatorRatings> byOperator(Instant since) {
        return db.inTransaction(c -> {
            Map<String, Map<Integer, Integer>> votes = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT OPERATOR, VOTE, COUNT(*) FROM OPERATOR_RATINGS "
                    + "WHERE RATED_AT >= ? GROUP BY OPERATOR, VOTE")) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        votes.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getInt(2), rs.getInt(3));
                    }
                }
            }
            List<OperatorRatings> out = new ArrayList<>();
            votes.forEach((operator, byVote) -> {
                int count = byVote.values().stream().mapToInt(Integer::intValue).sum();
                double sum = byVote.entrySet().stream().mapToDouble(e -> e.getKey() * (double) e.getValue()).sum();
                out.add(new OperatorRatings(operator, count, Math.round(sum / count * 100) / 100.0, Map.copyOf(byVote)));
            });
            return out;
        });
    }
}
