package io.b24bridge.pbx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.crm.CallEngine;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.outbox.Outbox;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls that ended while the appliance was away, just before it came back, are too recent for the reconciliation's
 * first run: it runs again as soon as they are old enough, not at its regular run ten minutes later. Calls the AMI
 * link saw never make it run again (under steady traffic calls end every moment). A call seen only in part waits
 * for its row: the run asked for when its wait ends decides, however late it comes on a busy appliance.
 */
class ReconciliationRunAgainTest {

    private static final Instant T0 = Instant.parse("2026-12-03T03:00:00Z");
    private static final String DID = "74951234567";

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;
    CallEngine engine;
    Instant now = T0.plusSeconds(120);
    final Map<String, List<CallFact.RecordedLeg>> masterCsv = new LinkedHashMap<>();
    final List<Duration> asked = new CopyOnWriteArrayList<>();
    /** The PBX's records are read (Master.csv): a call seen only in part waits 30 s for its row. */
    final CrmLifecycle lifecycle = new CrmLifecycle(Map.of("pbx1", Duration.ofSeconds(30)));
    Reconciliation reconciliation;
    /** What reading the records throws now (null: they are read). */
    RuntimeException readFails;

    @BeforeEach
    void start() {
        db = Database.open(dir.resolve("db"));
        Migrations.apply(db, Migrations.SCHEMA);
        outbox = Outbox.open(db, Json.newMapper());
        engine = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), lifecycle, outbox.journal(),
                ReconciliationRunAgainTest::settings);
        PbxRecords records = new PbxRecords() {
            @Override
            public Map<String, List<CallFact.RecordedLeg>> rowsOf(Collection<String> linkedids) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, List<CallFact.RecordedLeg>> startedSince(Instant from) {
                if (readFails != null) {
                    throw readFails;
                }
                Map<String, List<CallFact.RecordedLeg>> since = new LinkedHashMap<>();
                masterCsv.forEach((id, rows) -> {
                    if (rows.stream().noneMatch(r -> r.start().isBefore(from))) {
                        since.put(id, rows);
                    }
                });
                return since;
            }

            @Override
            public String where() {
                return "the test's Master.csv";
            }
        };
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        reconciliation = new Reconciliation("pbx1", records, engine, () -> true, () -> T0, Duration.ofMinutes(10),
                clock);
        reconciliation.whenCallsSettle(asked::add);
    }

    @AfterEach
    void stop() {
        reconciliation.close();
        db.close();
    }

    private static Settings settings() {
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "All lines", "leadSource": "CALL", "defaultResponsibleUserId": 4}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }

    /** A carrier call to the DID that rang 101 until the caller hung up, its row written at {@code end}. */
    private void missedCall(String linkedid, String caller, Instant end) {
        masterCsv.put(linkedid, List.of(new CallFact.RecordedLeg("PJSIP/trunk-00000010", "PJSIP/101-00000011",
                end.minusSeconds(8), null, end, "NO ANSWER", caller, "s", DID, null)));
    }

    private boolean inTheJournal(String linkedid) {
        return outbox.journal().knows(new CallKey("pbx1", linkedid));
    }

    @Test
    void aCallThatEndedJustBeforeTheRunIsTakenAsSoonAsItSettled() {
        missedCall("1796267100.1", "79990000001", now.minusSeconds(60)); // ended long enough ago
        missedCall("1796267180.3", "79990000002", now.minusSeconds(3)); // the caller hung up 3 s ago

        String first = reconciliation.run();

        assertTrue(inTheJournal("1796267100.1"), first);
        assertFalse(inTheJournal("1796267180.3"), "its AMI events may still be on their way: " + first);
        assertEquals(List.of(Reconciliation.SETTLE.minusSeconds(3)), asked,
                "runs again once the call's row is SETTLE old, not at the next regular run: " + first);

        now = now.plus(asked.getFirst());
        String second = reconciliation.run();

        assertTrue(inTheJournal("1796267180.3"), second);
        assertEquals(1, asked.size(), "nothing left to wait for: " + second);
    }

    @Test
    void callsTheLinkSawNeverMakeItRunAgain() {
        // a call the engine has (here: taken from its record earlier) that ended a moment ago, as under steady traffic
        missedCall("1796267200.5", "79990000003", now.minusSeconds(2));
        engine.reconcile(new CallFact.PbxRecord("pbx1", now, "1796267200.5", masterCsv.get("1796267200.5")));

        String result = reconciliation.run();

        assertEquals(List.of(), asked, result);
    }

    /**
     * Answered by 101 before the AMI link dropped; when it came back the call was gone from the PBX: it ended
     * unseen, and its finish waits for its row in Master.csv.
     */
    private CallKey endedInTheGap(String linkedid) {
        CallKey call = new CallKey("pbx1", linkedid);
        Instant start = now.minusSeconds(60);
        lifecycle.apply(List.of(
                new CallEvent.Started(call, start, CallEvent.Direction.INBOUND, "79990000009", DID, null, "trunk"),
                new CallEvent.RingStarted(call, start.plusSeconds(1), "101"),
                new CallEvent.Answered(call, start.plusSeconds(4), "101", "answer")), settings());
        engine.onFact(new CallFact.ChannelsNow("pbx1", now, List.of(), now.minusSeconds(40)));
        assertTrue(lifecycle.state(call).orElseThrow().awaitingRecord(), "waits for its row");
        return call;
    }

    /** The engine's asks reach the scheduler off its lock, on a thread of their own. */
    private void awaitAsked(int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (asked.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(n, asked.size(), "asks: " + asked);
    }

    @Test
    void aCallSeenInPartIsFinishedFromItsRowWhenTheRunThatReadsItComesLate() throws InterruptedException {
        CallKey call = endedInTheGap("1796267300.7");
        awaitAsked(1);
        assertEquals(Duration.ofSeconds(30).plus(Reconciliation.SETTLE), asked.getFirst(),
                "a run is asked for when its wait ends (and its row settled)");
        masterCsv.put("1796267300.7", List.of(new CallFact.RecordedLeg("PJSIP/trunk-00000020",
                "PJSIP/101-00000021", now.minusSeconds(60), now.minusSeconds(56), now.minusSeconds(20), "ANSWERED",
                "79990000009", "s", DID, null))); // written when the call ended, while the link was down

        now = now.plusSeconds(95); // the machine is busy: the run comes 55 s after the wait ended
        engine.onFact(new CallFact.Tick("pbx1", now));
        assertTrue(lifecycle.state(call).orElseThrow().awaitingRecord(),
                "the clock alone does not give up on a row that may be there, unread");
        String run = reconciliation.run();

        assertTrue(run.contains("1 finished from their record"), run);
        assertTrue(lifecycle.state(call).isEmpty(), "finished: " + run);
    }

    @Test
    void aCallSeenInPartWithoutARowIsFinishedWithWhatWasSeenByTheFirstRunAfterItsWait()
            throws InterruptedException {
        CallKey call = endedInTheGap("1796267400.9");
        awaitAsked(1);

        now = now.plusSeconds(20); // a run before its wait ended (the reconnect's): the row may still come
        String early = reconciliation.run();
        assertTrue(lifecycle.state(call).orElseThrow().awaitingRecord(), early);
        assertEquals(Duration.ofSeconds(10).plus(Reconciliation.SETTLE), asked.getLast(),
                "asks again for when its wait ends: " + early);

        now = now.plusSeconds(20);
        String after = reconciliation.run();

        assertTrue(lifecycle.state(call).isEmpty(), "no row in time: finished with what was seen: " + after);
        assertTrue(inTheJournal("1796267400.9"), after);
    }

    @Test
    void anAskTheSchedulerRefusesWhileItsDatabaseIsAwayIsMadeAgain() throws InterruptedException {
        // Quartz keeps its triggers in the database: on a full disk (Derby read-only) every ask fails, and the calls
        // an AMI gap hid at that moment would wait for the regular run, ten minutes later
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(2);
        reconciliation.whenCallsSettle(delay -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("job reconcile-pbx1 cannot be scheduled: the database is read-only");
            }
            asked.add(delay);
        });

        reconciliation.runSoon(Duration.ofSeconds(5)); // the AMI link is back after a gap

        awaitAsked(1); // two refusals, then taken: ASK_AGAIN apart on the real clock
        assertEquals(-1, refusals.get(), "asked three times");
    }

    @Test
    void theHistoryBeforeThePbxWasFirstFollowedIsLeftAloneButNotACallInProgressThen() {
        // the appliance first followed the PBX at T0: a call over by then is the PBX's history; one that began
        // 4 s before and ended after was in progress (its first snapshot found it) — left out by its start, a
        // call the model could not announce was never registered
        missedCall("1796266000.1", "79990000001", T0.minusSeconds(5));
        missedCall("1796267000.2", "79990000002", T0.plusSeconds(4));

        String result = reconciliation.run();

        assertFalse(inTheJournal("1796266000.1"), result);
        assertTrue(inTheJournal("1796267000.2"), result);
        assertTrue(result.contains("1 calls in") && result.contains("1 that ended before PBX pbx1 was first followed"),
                result);
    }

    @Test
    void aRunThatFailsIsAskedForAgainSoonNotAtTheRegularRun() {
        // the run the reconnect asked for could not read (its database read-only after a full disk, say): the calls
        // of the gap it was for would wait for the regular run, ten minutes later
        missedCall("1796267100.1", "79990000001", now.minusSeconds(60));
        readFails = new IllegalStateException("database error: the database is read-only after its disk was full");

        assertThrows(IllegalStateException.class, reconciliation::run);

        assertEquals(List.of(Reconciliation.ASK_AGAIN), asked, "asked again soon");
        readFails = null;
        now = now.plus(Reconciliation.ASK_AGAIN);
        reconciliation.run();
        assertTrue(inTheJournal("1796267100.1"), "the gap's call, registered by the run asked again");
    }

    @Test
    void runsThatKeepFailingStopAskingAndWaitForTheRegularRun() {
        // a Master.csv that cannot be read for good must not be read every 2 s for ever
        readFails = new IllegalStateException("cannot read Master.csv: Permission denied");
        for (int i = 0; i < Reconciliation.RUN_TRIES + 5; i++) {
            assertThrows(IllegalStateException.class, reconciliation::run);
            now = now.plus(Reconciliation.ASK_AGAIN);
        }
        assertEquals(Reconciliation.RUN_TRIES - 1, asked.size(), "asked again after each failure but the last ones");
    }

    @Test
    void aStoppingApplianceStopsAskingAgain() throws InterruptedException {
        // the database closes at the stop and refuses every ask: the asks made again must end with the appliance,
        // not go on for 300 tries on a thread nobody stops
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        reconciliation.whenCallsSettle(delay -> {
            refusals.incrementAndGet();
            throw new IllegalStateException("job reconcile-pbx1 cannot be scheduled: the database is closed");
        });
        reconciliation.runSoon(Duration.ofSeconds(5));
        assertEquals(1, refusals.get(), "refused once, to be asked again");
        assertFalse(reconciliation.askingEnded(), "an ask waits to be made again");

        reconciliation.close();

        assertTrue(reconciliation.askingEnded(), "nothing left to ask for after the stop");
        assertEquals(1, refusals.get());
    }

    @Test
    void anAskWhoseRunNeverCameIsMadeAgainAtTheNextReconnect() {
        // the scheduler took the ask, then failed to fire it (its database went away at that moment): the run never
        // started, and the calls of the next AMI gaps would wait for the regular run, ten minutes later
        reconciliation.runSoon(Duration.ofSeconds(5));
        assertEquals(1, asked.size());
        reconciliation.runSoon(Duration.ofSeconds(10));
        assertEquals(1, asked.size(), "the run asked for comes before this one: one ask is enough");

        now = now.plusSeconds(20); // its time passed, and no run began
        reconciliation.runSoon(Duration.ofSeconds(5)); // the AMI link is back after another gap

        assertEquals(2, asked.size(), "asked again: " + asked);
    }

    @Test
    void aCallFoundAfterAGapThatEndsUnannouncedAsksForTheRunThatReadsItsRow() throws InterruptedException {
        // after the reconnect the PBX lists a phone's channel of a call the model never saw begin, with no number in
        // sight: it cannot be announced, and it ends later than the run the reconnect asked for
        engine.onFact(new CallFact.ChannelsNow("pbx1", now, List.of(new CallFact.ActiveChannel("1796267500.3",
                "1796267500.3", "PJSIP/101-00000031", "101", "s", CallFact.STATE_UP, null, 4)), now.minusSeconds(15)));
        now = now.plusSeconds(5);
        engine.onFact(new CallFact.Hangup("pbx1", now, "1796267500.3", "1796267500.3", 16));

        awaitAsked(1);
        assertEquals(Reconciliation.SETTLE, asked.getFirst(), "a run once its row is written and settled");
    }
}
