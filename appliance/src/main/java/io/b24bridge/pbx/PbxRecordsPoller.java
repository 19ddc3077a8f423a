package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallEngine;

/**
 * Hands the engine the PBX's own record of each call whose finish waits for it (a call that ended partly unseen),
 * reading the records once a second while some call waits. A call's rows are handed over once they have stopped
 * coming for one read, so a ring group's rows written one after the other arrive together.
 */
public final class PbxRecordsPoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PbxRecordsPoller.class.getName());
    static final Duration EVERY = Duration.ofSeconds(1);

    private final String pbx;
    private final PbxRecords records;
    private final CallEngine engine;
    private final ScheduledExecutorService reader;
    /** Rows seen at the last read, per waiting call: the same count twice means its rows have settled. */
    private final Map<String, Integer> lastCount = new HashMap<>();
    private String lastProblem;

    PbxRecordsPoller(String pbx, PbxRecords records, CallEngine engine) {
        this.pbx = pbx;
        this.records = records;
        this.engine = engine;
        this.reader = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("pbx-" + pbx + "-records").daemon().factory());
        reader.scheduleWithFixedDelay(this::readOnce, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One read: the waiting calls whose rows have settled (the same rows as at the last read) are handed over. */
    void readOnce() {
        try {
            List<String> waiting = engine.awaitingRecords(pbx).stream().map(CallKey::linkedid).toList();
            lastCount.keySet().retainAll(waiting);
            if (waiting.isEmpty()) {
                return;
            }
            Map<String, List<CallFact.RecordedLeg>> rows = records.rowsOf(waiting);
            rows.forEach((linkedid, legs) -> {
                Integer before = lastCount.put(linkedid, legs.size());
                if (before != null && before == legs.size()) {
                    engine.onFact(new CallFact.PbxRecord(pbx, Instant.now(), linkedid, legs));
                    lastCount.remove(linkedid);
                }
            });
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getMessage();
            if (!Objects.equals(problem, lastProblem)) {
                LOG.log(Level.WARNING, "PBX " + pbx + ": its call records (" + records.where() + ") cannot be read ("
                        + problem + "): calls that ended unseen are finished with what was seen", e);
                lastProblem = problem;
            }
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
