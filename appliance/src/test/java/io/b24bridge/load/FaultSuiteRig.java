package io.b24bridge.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.b24bridge.testkit.pbx.Replay;

/**
 * What every class of the fault suite does after its fault: wait for the calls placed to reach the CRM, count them
 * (a {@link CrmLedger}), add the fault's row to the table it prints, and assert the promise — none lost, none
 * duplicated, none out of order — with the appliance's warnings and outbox in the message when one is broken.
 * Each class has its own {@link LoadRig} (a scenario that kills the appliance or fills its disk keeps its harm to
 * itself) and its own table.
 */
final class FaultSuiteRig {

    /** New calls a second: the 50 by default; {@code -Dfaults.rate=} for another. */
    static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "50"));

    private final LoadRig rig;
    private final List<String> table = new ArrayList<>();
    /** The scenario's rig is its own: a loss may end its appliance to read the database (no later scenario needs it). */
    private final boolean ownRig;

    FaultSuiteRig(LoadRig rig) {
        this(rig, false);
    }

    /** @param ownRig no other scenario uses the rig: on a loss the appliance is killed and its outbox rows printed */
    FaultSuiteRig(LoadRig rig, boolean ownRig) {
        this.rig = rig;
        this.ownRig = ownRig;
    }

    /** Waits for the replay's last event and then for every call it placed (see {@link #settle(String, List, Duration)}). */
    CrmLedger settle(String fault, Replay r, Duration timeout) throws InterruptedException {
        r.await(timeout);
        return settle(fault, r.placed(), timeout);
    }

    /**
     * Waits until every call of {@code placed} is finished in the CRM (or {@code timeout}), adds the fault's row,
     * asserts 0 lost, 0 duplicated, 0 out of order; returns the count.
     */
    CrmLedger settle(String fault, List<Replay.Placed> placed, Duration timeout) throws InterruptedException {
        CrmLedger l = awaitFinished(placed, timeout);
        row(fault, l);
        System.out.println(fault + ": " + l);
        if (l.lostCount() > 0) {
            fail(fault + ": calls lost: " + CrmLedger.of(placed, rig.emu()) + "\noutbox: " + outbox() + "\n"
                    + warnings() + "\n" + evidence(LostCallEvidence.linkedids(l)));
        }
        assertEquals(0, l.duplicates(), fault + ": duplicated calls");
        assertEquals(0, l.outOfOrder(), fault + ": commands out of order");
        return l;
    }

    /**
     * The count once every call of {@code placed} is finished in the CRM, or when none finished for a minute after
     * {@code timeout}: a slower machine than the one the timeout was set on still catching up is given the time,
     * up to three times {@code timeout}; a stalled catch-up is not waited for.
     */
    CrmLedger awaitFinished(List<Replay.Placed> placed, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        long cap = start + 3 * timeout.toNanos();
        CrmLedger l = CrmLedger.of(placed, rig.emu());
        long lastProgress = start;
        while (l.finished() < l.placed()) {
            long now = System.nanoTime();
            boolean catchingUp = now - lastProgress < Duration.ofMinutes(1).toNanos();
            if (now >= cap || (now >= end && !catchingUp)) {
                break;
            }
            Thread.sleep(1000);
            CrmLedger next = CrmLedger.of(placed, rig.emu());
            if (next.finished() > l.finished()) {
                lastProgress = System.nanoTime();
            }
            l = next;
        }
        return l;
    }

    /** A row of the table: {@code what} and its count. */
    void row(String what, CrmLedger l) {
        table.add(String.format("| %s | %d | %d | %d | %d | %d |", what, l.placed(), l.inCrm(), l.finished(),
                l.duplicates(), l.outOfOrder()));
    }

    /** The table of what each fault cost, as docs/development.md pastes it. */
    void printTable() {
        System.out.println("| fault at " + (int) RATE + " calls/s | placed | in the CRM | finished | duplicates | out of order |");
        System.out.println("|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** The appliance's own lines, every run of it, left where a failed build's reader finds them. */
    void keepApplianceLog(String name) {
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", name + "-appliance.log"), rig.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The appliance's warnings and worse (the last 40), and where each run began: why calls were lost. */
    String warnings() {
        List<String> lines = rig.output().lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE")
                || l.contains("next run") || l.contains("is up in")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * The appliance's own warnings and worse ({@code io.b24bridge.} loggers; not asterisk-java's "event
     * io.b24bridge.pbx…" nor Quartz's): a fault that lasts must be said once, not per event or per retry.
     */
    List<String> ownWarnings() {
        return rig.output().lines()
                .filter(x -> x.contains(" WARNING io.b24bridge.") || x.contains(" SEVERE io.b24bridge.")).toList();
    }

    /**
     * Why these calls are stuck, from the appliance itself: its outbox and engine threads now; with a rig of the
     * scenario's own, the appliance is then killed and its outbox and journal rows of them read; and its log lines
     * that name them.
     */
    String evidence(List<String> linkedids) {
        StringBuilder out = new StringBuilder();
        if (rig.appliance() != null) {
            out.append(LostCallEvidence.threads(rig.appliance().pid(), name())).append('\n');
        }
        if (ownRig) {
            try {
                if (rig.appliance() != null) {
                    rig.killAppliance();
                }
                out.append(LostCallEvidence.rows(rig.databaseDir(), "pbx1", linkedids));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.append(LostCallEvidence.cdrRows(rig.masterCsv(), linkedids));
        return out.append(LostCallEvidence.logLines(rig.output(), linkedids)).toString();
    }

    private String name() {
        return "lost-calls-" + ProcessHandle.current().pid();
    }

    /** The outbox's part of /health, or why there is none (the appliance down, say). */
    String outbox() {
        try {
            return rig.health().path("parts").path("outbox").toString();
        } catch (RuntimeException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }
}
