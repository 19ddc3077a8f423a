package io.b24bridge.outbox;

import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.b24bridge.store.Database;

/**
 * The outbox's stores over one Derby database, each the one owner of its table — the call journal
 * ({@code CRM_CALLS}), the queue ({@code OUTBOX}), the callers' ratings ({@code OPERATOR_RATINGS}), the calls at
 * risk of a second register ({@code REGISTERS_AT_RISK}) — the report
 * operators read, and the one step that writes two of them in one transaction: a command done with what it
 * taught.
 */
public final class Outbox {

    private final Database db;
    private final CallJournalStore journal;
    private final OutboxQueue queue;
    private final OutboxReport report;
    private final OperatorRatingsStore ratings;
    private final RegisterRisks risks;
    private final CallHistory history;

    private Outbox(Database db, ObjectMapper mapper) {
        StoredJson json = new StoredJson(mapper);
        this.db = db;
        this.queue = new OutboxQueue(db, json);
        this.ratings = new OperatorRatingsStore(db);
        this.journal = new CallJournalStore(db, json, queue, ratings);
        this.report = new OutboxReport(db, queue);
        this.risks = new RegisterRisks(db);
        this.history = new CallHistory(db, json);
    }

    /** The outbox of this database (its tables come with the schema's migrations). */
    public static Outbox open(Database db, ObjectMapper mapper) {
        return new Outbox(db, mapper);
    }

    public CallJournalStore journal() {
        return journal;
    }

    public OutboxQueue queue() {
        return queue;
    }

    public OutboxReport report() {
        return report;
    }

    public OperatorRatingsStore ratings() {
        return ratings;
    }

    /** The call journal read back for the panel's calls list and the operators' figures. */
    public CallHistory history() {
        return history;
    }

    /** Calls whose lost register may have made two in the CRM. */
    public RegisterRisks risks() {
        return risks;
    }

    /** The command succeeded; what register answered (the call's CALL_ID, its CRM entity) is kept with it. */
    public void done(OutboxQueue.Entry e, BoxGateway.Registration learned) {
        doneAll(List.of(new Done(e, learned)));
    }

    /** A command that succeeded, and what its register answered (null: nothing to learn). */
    public record Done(OutboxQueue.Entry entry, BoxGateway.Registration learned) {
    }

    /**
     * The commands of a batch that succeeded, settled in one transaction (one synchronous log write for the
     * batch instead of one per command).
     */
    public void doneAll(List<Done> done) {
        if (done.isEmpty()) {
            return;
        }
        // in the calls' key order, as the engine stores a run (CallJournalStore.record): never a lock cycle with it
        List<Done> inKeyOrder = done.stream()
                .sorted(Comparator.comparing((Done d) -> d.entry().call().externalCallId())
                        .thenComparingInt(d -> d.entry().seq())).toList();
        db.inTransaction(c -> {
            for (Done d : inKeyOrder) {
                queue.done(c, d.entry());
                if (d.learned() != null) {
                    journal.learned(c, d.entry().call(), d.learned());
                }
            }
            return null;
        });
    }
}
