package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallEngine;

/**
 * Reads one PBX's own call records (Master.csv) as they grow and hands the engine the record of each call whose
 * finish waits for it (a call that ended partly unseen). A call's rows are handed over once they have stopped
 * coming for one read, so a ring group's rows written one after the other arrive together.
 */
public final class PbxRecordsPoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PbxRecordsPoller.class.getName());
    static final Duration EVERY = Duration.ofSeconds(1);

    private final String pbx;
    private final CdrCsvFile csv;
    private final CallEngine engine;
    private final ScheduledExecutorService reader;
    private String lastProblem;

    public PbxRecordsPoller(String pbx, Path masterCsv, CallEngine engine) {
        this.pbx = pbx;
        this.csv = new CdrCsvFile(masterCsv);
        this.engine = engine;
        this.reader = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("pbx-" + pbx + "-records").daemon().factory());
        reader.scheduleWithFixedDelay(this::readOnce, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One read: new rows in, then the waiting calls whose rows have settled (none came in this read) handed over. */
    void readOnce() {
        try {
            Set<String> fresh = new HashSet<>(csv.poll());
            for (CallKey key : engine.awaitingRecords(pbx)) {
                List<CallFact.RecordedLeg> rows = csv.rows(key.linkedid());
                if (!rows.isEmpty() && !fresh.contains(key.linkedid())) {
                    engine.onFact(new CallFact.PbxRecord(pbx, Instant.now(), key.linkedid(), rows));
                }
            }
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getMessage();
            if (!Objects.equals(problem, lastProblem)) {
                LOG.log(Level.WARNING, "PBX " + pbx + ": its call records at " + csv.file() + " cannot be read ("
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
