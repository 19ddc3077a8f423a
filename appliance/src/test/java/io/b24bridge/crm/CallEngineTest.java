package io.b24bridge.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallFact;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.CallTracker;
import io.b24bridge.calls.Endpoints;
import io.b24bridge.health.PartHealth;
import io.b24bridge.settings.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spine's step: a fact's changes reach the journal once, even when the database refuses for a moment. */
class CallEngineTest {

    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    /** A journal over a database that refuses the first {@code refusals} writes (a lock timeout, say). */
    private static final class FlakyJournal implements CallJournal {
        private int refusals;
        int attempts;
        final List<CrmLifecycle.Change> stored = new ArrayList<>();

        FlakyJournal(int refusals) {
            this.refusals = refusals;
        }

        @Override
        public void record(List<CrmLifecycle.Change> changes) {
            attempts++;
            if (refusals-- > 0) {
                throw new IllegalStateException("database error: A lock could not be obtained within the time requested");
            }
            stored.addAll(changes);
        }

        @Override
        public List<CallCrmState> openCalls() {
            return List.of();
        }

        @Override
        public boolean knows(CallKey call) {
            return stored.stream().anyMatch(c -> c.call().equals(call));
        }
    }

    /** The pauses the engine took, instead of taking them. */
    private final List<Duration> pauses = new ArrayList<>();

    private CallEngine engine(CallJournal journal) {
        return new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                Settings::defaults, pauses::add);
    }

    /** An inbound call from the carrier starts ringing extension 101. */
    private static void aCallRings(CallEngine engine) {
        engine.onFact(new CallFact.NewChannel("pbx1", T0, "1.0", "1.0", "PJSIP/trunk-00000001",
                "79162000001", null, "from-trunk", "74951234567", CallFact.STATE_RING));
        engine.onFact(new CallFact.NewChannel("pbx1", T0, "1.1", "1.0", "PJSIP/101-00000002",
                "101", null, "from-internal", "74951234567", CallFact.STATE_DOWN));
        engine.onFact(new CallFact.DialBegin("pbx1", T0, "1.0", "1.0", "79162000001", "74951234567",
                "1.1", "1.0", "PJSIP/101-00000002", "101"));
    }

    private static List<CrmCommand> commands(FlakyJournal journal) {
        return journal.stored.stream().flatMap(c -> c.commands().stream()).toList();
    }

    /** The facts of {@link #aCallRings}, then 101 answers. */
    private static List<CallFact> aCallRingsAndIsAnswered() {
        return List.of(
                new CallFact.NewChannel("pbx1", T0, "1.0", "1.0", "PJSIP/trunk-00000001", "79162000001", null,
                        "from-trunk", "74951234567", CallFact.STATE_RING),
                new CallFact.NewChannel("pbx1", T0, "1.1", "1.0", "PJSIP/101-00000002", "101", null,
                        "from-internal", "74951234567", CallFact.STATE_DOWN),
                new CallFact.DialBegin("pbx1", T0, "1.0", "1.0", "79162000001", "74951234567", "1.1", "1.0",
                        "PJSIP/101-00000002", "101"),
                new CallFact.NewChannel("pbx1", T0, "2.0", "2.0", "PJSIP/trunk-00000003", "79162000002", null,
                        "from-trunk", "74951234567", CallFact.STATE_RING),
                new CallFact.NewChannel("pbx1", T0, "2.1", "2.0", "PJSIP/102-00000004", "102", null,
                        "from-internal", "74951234567", CallFact.STATE_DOWN),
                new CallFact.DialBegin("pbx1", T0, "2.0", "2.0", "79162000002", "74951234567", "2.1", "2.0",
                        "PJSIP/102-00000004", "102"),
                new CallFact.DialEnd("pbx1", T0.plusSeconds(2), "1.0", "1.1", "PJSIP/101-00000002", "ANSWER"));
    }

    @Test
    void aRunOfFactsIsStoredInOneTransactionEachCallOnceWithTheCommandsOfEachStep() {
        FlakyJournal oneByOne = new FlakyJournal(0);
        CallEngine stepwise = engine(oneByOne);
        aCallRingsAndIsAnswered().forEach(stepwise::onFact);

        FlakyJournal batched = new FlakyJournal(0);
        engine(batched).onFacts(aCallRingsAndIsAnswered());

        assertEquals(1, batched.attempts, "one transaction for the run");
        assertEquals(2, batched.stored.size(), "each call's changes merged into one");
        assertEquals(commands(oneByOne), commands(batched), "the same commands, in the same order");
        for (CrmLifecycle.Change merged : batched.stored) {
            CrmLifecycle.Change lastStep = oneByOne.stored.stream().filter(c -> c.call().equals(merged.call()))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(lastStep.state(), merged.state(), "the call's last state");
        }
    }

    /**
     * A click-to-call whose operator is busy, as the real Asterisk 22 tells it (the Originate's channel, its
     * variables, the dial with no caller, BUSY, the hangup — all within 10 ms): on a loaded machine the intake hands
     * these facts over as one run.
     */
    private static List<CallFact> aClickTheOperatorIsTooBusyToTake() {
        return List.of(
                new CallFact.NewChannel("pbx1", T0, "7.0", "7.0", "PJSIP/101-00000007", "101", "Phone 101",
                        "from-phones", "s", CallFact.STATE_DOWN),
                new CallFact.Variable("pbx1", T0, "7.0", "7.0", "B24_NUMBER", "79162000066"),
                new CallFact.Variable("pbx1", T0, "7.0", "7.0", "B24_CALL_ID", "externalCall.b9d9c1c4.1796306703"),
                new CallFact.DialBegin("pbx1", T0, null, null, null, null, "7.0", "7.0", "PJSIP/101-00000007", "101"),
                new CallFact.DialEnd("pbx1", T0, null, "7.0", "PJSIP/101-00000007", "BUSY"),
                new CallFact.Hangup("pbx1", T0, "7.0", "7.0", 17));
    }

    @Test
    void aClickThatStartsAndEndsInOneRunIsFinishedUnderTheBoxsCallId() {
        FlakyJournal journal = new FlakyJournal(0);
        engine(journal).onFacts(aClickTheOperatorIsTooBusyToTake());

        CrmLifecycle.Change stored = journal.stored.getFirst();
        assertEquals(1, journal.stored.size(), "the call's steps merged into one change");
        assertEquals("externalCall.b9d9c1c4.1796306703", stored.givenCallId(),
                "the journal learns the click's CALL_ID, the only one its finish can go to");
        assertEquals(List.of(CrmCommand.Finish.class), stored.commands().stream().map(Object::getClass).toList(),
                "finished, never registered again: Bitrix24 registered it before it asked");
    }

    @Test
    void aPassingRefusalOfTheDatabaseLosesNothingAndDoublesNothing() {
        FlakyJournal journal = new FlakyJournal(2);
        aCallRings(engine(journal));
        assertEquals(3, journal.attempts, "refused twice, stored at the third attempt");
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(250)), pauses, "a short pause before each retry");
        List<CrmCommand> stored = commands(journal);
        assertEquals(1, stored.stream().filter(CrmCommand.Register.class::isInstance).count(), stored.toString());
    }

    /**
     * Review F6a: a database refusing for longer than the short pauses used to cost the fact's commands for good
     * (a SEVERE line, a call the CRM never heard of). Now the fact is held — and with it the PBX's next events — until
     * the database takes it, and health says DOWN meanwhile.
     */
    @Test
    void aDatabaseThatKeepsRefusingHoldsTheFactUntilItAcceptsAndSaysDownMeanwhile() {
        FlakyJournal journal = new FlakyJournal(12);
        List<PartHealth.State> healthWhileWaiting = new ArrayList<>();
        CallEngine[] engine = new CallEngine[1];
        engine[0] = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                Settings::defaults, d -> {
                    pauses.add(d);
                    healthWhileWaiting.add(new JournalHealth(engine[0]).check().state());
                });
        JournalHealth health = new JournalHealth(engine[0]);
        assertEquals(PartHealth.State.UP, health.check().state());
        aCallRings(engine[0]);
        assertEquals(13, journal.attempts, "refused twelve times, stored at the thirteenth");
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                pauses.subList(0, 4), "50 ms, 250 ms, then every second");
        assertEquals(List.of(PartHealth.State.UP, PartHealth.State.UP), healthWhileWaiting.subList(0, 2),
                "a passing refusal is not an outage");
        assertEquals(PartHealth.State.DOWN, healthWhileWaiting.getLast(), "a lasting one is");
        assertTrue(health.critical(), "the appliance is not working while it cannot store calls");
        assertEquals(1, commands(journal).stream().filter(CrmCommand.Register.class::isInstance).count(),
                "nothing lost, nothing doubled");
        assertEquals(PartHealth.State.UP, health.check().state(), "UP again once the database accepts");
    }

    /**
     * Derby interrupts every thread inside a database it shuts down itself (its log cannot be flushed on a full disk).
     * The engine took such an interrupt, landing in its pause between two tries, for the appliance's stop and dropped
     * the changes it held: a register never stored, its call's later commands dead letters. It is no stop.
     */
    @Test
    void anInterruptThatIsNotTheStopCostsNoChange() {
        FlakyJournal journal = new FlakyJournal(4);
        CallEngine engine = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                Settings::defaults, d -> {
                    pauses.add(d);
                    if (pauses.size() == 2) {
                        throw new InterruptedException("Derby's shutdown of the database");
                    }
                });
        aCallRings(engine);
        assertEquals(5, journal.attempts, "refused four times, stored at the fifth");
        assertEquals(1, commands(journal).stream().filter(CrmCommand.Register.class::isInstance).count(),
                "the register kept through the interrupt");
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was no stop: not passed on");
    }

    /** The appliance's stop ends the wait for a database that keeps refusing: the PBX link's thread can end. */
    @Test
    void theStopEndsTheWaitForARefusingDatabase() {
        FlakyJournal journal = new FlakyJournal(Integer.MAX_VALUE);
        CallEngine[] engine = new CallEngine[1];
        engine[0] = new CallEngine(new CallTracker(pbx -> Endpoints.standard()), new CrmLifecycle(), journal,
                Settings::defaults, d -> {
                    pauses.add(d);
                    if (pauses.size() == 5) {
                        engine[0].stop();
                        throw new InterruptedException("the PBX link's drain is over");
                    }
                });
        engine[0].onFacts(aCallRingsAndIsAnswered()); // one run: one store
        assertEquals(5, journal.attempts, "given up at the stop, not tried again");
        assertTrue(Thread.interrupted(), "the stop's interrupt passed on to the caller's loop (and cleared here)");
    }

    /**
     * A run the database refuses for what one call's changes hold (a value too long for its column: SQLState 22001)
     * can never be stored by waiting: each call is stored on its own and that one set aside, named in the log and in
     * /health — the PBX's other calls go on (before: the run was retried for ever, every later event held behind it).
     */
    @Test
    void aCallTheDatabaseRefusesAsDataIsSetAsideAndTheOthersAreStored() {
        List<CrmLifecycle.Change> stored = new ArrayList<>();
        CallJournal journal = new CallJournal() {
            @Override
            public void record(List<CrmLifecycle.Change> changes) {
                if (changes.stream().anyMatch(c -> c.call().linkedid().equals("1.0"))) {
                    throw new IllegalStateException("database error: CALL_CHANGES", new java.sql.SQLDataException(
                            "A truncation error was encountered trying to shrink VARCHAR to length 200.", "22001"));
                }
                stored.addAll(changes);
            }

            @Override
            public List<CallCrmState> openCalls() {
                return List.of();
            }

            @Override
            public boolean knows(CallKey call) {
                return false;
            }
        };
        CallEngine engine = engine(journal);
        engine.onFacts(aCallRingsAndIsAnswered()); // calls 1.0 and 2.0 in one run

        assertEquals(List.of("2.0"), stored.stream().map(c -> c.call().linkedid()).distinct().toList(),
                "the other call stored");
        assertTrue(pauses.isEmpty(), "no wait for a database that refuses the data, not its own state: " + pauses);
        assertEquals(1, engine.setAside());
        PartHealth health = new JournalHealth(engine).check();
        assertEquals(PartHealth.State.DEGRADED, health.state(), health.detail());
        assertEquals(1L, health.facts().get("setAside"));

        engine.onFact(new CallFact.Hangup("pbx1", T0.plusSeconds(9), "2.1", "2.0", 16));
        assertTrue(stored.size() > 1, "the PBX's next facts are taken: " + stored);
    }
}
