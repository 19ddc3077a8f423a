package io.b24bridge.pbx;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallFact;

/**
 * A PBX's own call records (its CDRs), by Linkedid: plain Asterisk's Master.csv ({@link CdrCsvFile}) or FreePBX's
 * {@code cdr} table ({@link CdrSqlTable}). Read by the poller (calls that ended partly unseen wait for their rows)
 * and the reconciliation (calls the CRM never heard of).
 */
interface PbxRecords extends AutoCloseable {

    /** Every row of these calls (a call without rows is absent). */
    Map<String, List<CallFact.RecordedLeg>> rowsOf(Collection<String> linkedids);

    /** Every row of the calls that began at or after {@code from}, by Linkedid. */
    Map<String, List<CallFact.RecordedLeg>> startedSince(Instant from);

    /** Where they are read, for logs and errors: {@code Master.csv at /var/log/...}. */
    String where();

    @Override
    default void close() {
    }
}
