package io.b24bridge.jobs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.health.PartHealth;
import io.b24bridge.store.Database;
import io.b24bridge.store.Migrations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;
    Database db;
    Jobs jobs;

    @BeforeEach
    void open() {
        db = openDb();
    }

    @AfterEach
    void close() {
        if (jobs != null) {
            jobs.close();
        }
        db.close();
    }

    private Database openDb() {
        Database d = Database.open(dir.resolve("db"));
        Migrations.apply(d, Migrations.SCHEMA);
        return d;
    }

    private Jobs start(ScheduledJob... list) {
        jobs = Jobs.start(db, List.of(list), Clock.systemUTC(), Duration.ofSeconds(2));
        return jobs;
    }

    private JobStatus status(String name) {
        return jobs.status().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aJobRunsOnItsScheduleAndItsLastRunIsShown() {
        AtomicInteger runs = new AtomicInteger();
        start(new ScheduledJob("tidy", "tidies up", Duration.ofSeconds(1), Duration.ZERO,
                () -> "tidied " + runs.incrementAndGet()));

        await().atMost(Duration.ofSeconds(20)).until(() -> status("tidy").runs() >= 2);
        JobStatus s = status("tidy");
        assertEquals(Boolean.TRUE, s.lastOk());
        assertTrue(s.lastResult().startsWith("tidied "), s.lastResult());
        assertNull(s.lastError());
        assertNotNull(s.nextRun(), "the next run is known");
        assertFalse(s.lastEnd().isBefore(s.lastStart()), "the last run ended after it began");
        assertEquals(PartHealth.State.UP, jobs.health().check().state());
    }

    @Test
    void aFailingJobShowsItsErrorAndTheJobsPartIsDegradedUntilItSucceeds() {
        AtomicInteger runs = new AtomicInteger();
        start(new ScheduledJob("flaky", "fails once", Duration.ofSeconds(1), Duration.ZERO, () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the PBX's records cannot be read");
            }
            return "fine";
        }));

        await().atMost(Duration.ofSeconds(20)).until(() -> status("flaky").failures() == 1);
        assertEquals("the PBX's records cannot be read", status("flaky").lastError());
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(status("flaky").lastOk()));
        assertNull(status("flaky").lastError(), "a success clears the error");
        assertEquals(1, status("flaky").failures());
    }

    @Test
    void aJobAskedForWhileItRunsDoesNotRunTwiceAtOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        start(new ScheduledJob("slow", "takes a while", HOUR, HOUR, () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.sleep(300);
            inside.decrementAndGet();
            return "run " + runs.incrementAndGet();
        }));

        jobs.runSoon("slow", Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> inside.get() == 1);
        jobs.runSoon("slow", Duration.ZERO); // asked again while it runs
        await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 2);
        assertEquals(1, most.get(), "never two runs at the same time");
    }

    @Test
    void theScheduleSurvivesARestartAndARunDueWhileDownComesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        start(new ScheduledJob("daily", "once a day", HOUR, Duration.ofSeconds(2), () -> "run " + runs.incrementAndGet()));
        Instant due = status("daily").nextRun();
        jobs.close();
        jobs = null;
        db.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(due.plusMillis(500)));

        db = openDb();
        // the same job, now asked to run first an hour after it is scheduled: the stored schedule wins
        start(new ScheduledJob("daily", "once a day", HOUR, HOUR, () -> "run " + runs.incrementAndGet()));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 1);
        assertTrue(status("daily").nextRun().isAfter(Instant.now().plus(Duration.ofMinutes(59))),
                "then every hour again: " + status("daily").nextRun());
    }

    @Test
    void aRunCutShortByTheStopRunsAgainAtTheNextStart() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        jobs = Jobs.start(db, List.of(new ScheduledJob("long", "blocks", HOUR, Duration.ZERO, () -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return "blocked run";
        })), Clock.systemUTC(), Duration.ofMillis(100));
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        jobs.close(); // the run outlives the stop's grace, as if the appliance died
        jobs = null;
        db.close();
        release.countDown();

        db = openDb();
        AtomicInteger again = new AtomicInteger();
        start(new ScheduledJob("long", "blocks", HOUR, HOUR, () -> "again " + again.incrementAndGet()));
        await().atMost(Duration.ofSeconds(20)).until(() -> again.get() == 1);
    }

    @Test
    void aJobNoLongerConfiguredIsRemovedAndAnUnknownNameIsRefused() {
        start(new ScheduledJob("old", "from an earlier configuration", HOUR, HOUR, () -> "old"));
        jobs.close();
        jobs = null;

        start(new ScheduledJob("new", "the current one", HOUR, HOUR, () -> "new"));
        assertEquals(List.of("new"), jobs.status().stream().map(JobStatus::name).toList());
        assertFalse(jobs.has("old"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> jobs.runSoon("old", Duration.ZERO));
    }

    @Test
    void anAskThatDerbyPicksAsADeadlockVictimIsAskedAgainAndAnyOtherFailureIsNot() {
        // as Quartz wraps it: "Couldn't obtain triggers for job: A lock could not be obtained due to a deadlock"
        var deadlock = new org.quartz.JobPersistenceException("Couldn't obtain triggers for job",
                new java.sql.SQLTransactionRollbackException("A lock could not be obtained due to a deadlock", "40001"));
        var lockTimeout = new org.quartz.SchedulerException(new java.sql.SQLException("wait timeout", "40XL1"));
        var broken = new org.quartz.JobPersistenceException("Couldn't obtain triggers for job",
                new java.sql.SQLException("Table/View 'QRTZ_TRIGGERS' does not exist.", "42X05"));
        assertTrue(Jobs.lockConflict(deadlock));
        assertTrue(Jobs.lockConflict(lockTimeout));
        assertFalse(Jobs.lockConflict(broken));
    }
}
