package io.b24bridge.jobs;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.DirectSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.utils.DBConnectionManager;

import io.b24bridge.health.HealthPart;
import io.b24bridge.store.Database;
import io.b24bridge.store.StoreException;

/**
 * The appliance's scheduled work on Quartz, its JDBC job store in the appliance's own Derby (the {@code QRTZ_}
 * tables of the schema): the jobs and their next runs survive restarts and crashes; a run missed while the
 * appliance was down comes at once after the start; a run a crash cut short runs again (every job is safe to
 * repeat); one job never runs twice at the same time. Each job's last run is kept ({@code JOB_RUNS}) for
 * {@code /health} and {@code GET /api/jobs}.
 */
public final class Jobs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Jobs.class.getName());
    private static final String GROUP = "b24bridge";
    /** Threads that run jobs: reconciliation, uploads and housekeeping may run side by side. */
    static final int THREADS = 3;
    /** How long the scheduler's own threads take to leave the database once paused. */
    static final Duration STANDBY_SETTLE = Duration.ofMillis(300);

    /** Makes each {@link #runSoon} trigger's key unique within this process (with the time: across restarts). */
    private final AtomicLong soonAsks = new AtomicLong();
    private final Scheduler scheduler;
    private final Map<String, ScheduledJob> jobs;
    private final JobRuns runs;
    private final Clock clock;
    private final Duration stopGrace;

    private Jobs(Scheduler scheduler, Map<String, ScheduledJob> jobs, JobRuns runs, Clock clock, Duration stopGrace) {
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.runs = runs;
        this.clock = clock;
        this.stopGrace = stopGrace;
    }

    /**
     * Starts the scheduler over {@code db} with these jobs: new ones are scheduled, the stored schedule of known
     * ones goes on, jobs stored by an earlier configuration that this one does not have are removed.
     *
     * @param stopGrace how long {@link #close} waits for running jobs
     */
    public static Jobs start(Database db, List<ScheduledJob> list, Clock clock, Duration stopGrace) {
        Map<String, ScheduledJob> jobs = new LinkedHashMap<>();
        for (ScheduledJob j : list) {
            if (jobs.put(j.name(), j) != null) {
                throw new IllegalArgumentException("two jobs are named " + j.name());
            }
        }
        JobRuns runs = new JobRuns(db);
        String name = schedulerName(db);
        try {
            Scheduler scheduler = create(db, name);
            Jobs started = new Jobs(scheduler, Map.copyOf(jobs), runs, clock, stopGrace);
            scheduler.setJobFactory((bundle, s) -> started.runnerOf(bundle.getJobDetail().getKey()));
            started.schedule(jobs.values());
            scheduler.start();
            LOG.info(() -> "jobs started (" + String.join(", ", jobs.keySet()) + ")");
            return started;
        } catch (SchedulerException e) {
            throw new StoreException("the job scheduler cannot start: " + e.getMessage(), e);
        }
    }

    /** Quartz over the appliance's Derby: JobStoreTX with its default StdJDBCDelegate (there is no Derby delegate; none is needed). */
    private static Scheduler create(Database db, String name) throws SchedulerException {
        String dataSource = "b24bridge-" + name;
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new DerbyConnections(db));
        JobStoreTX store = new JobStoreTX();
        store.setDataSource(dataSource);
        store.setTablePrefix("QRTZ_");
        store.setUseProperties("true"); // job data as strings (none is stored: jobs are defined in code)
        store.setIsClustered(false);
        store.setMakeThreadsDaemons(true);
        SimpleThreadPool pool = new SimpleThreadPool(THREADS, Thread.NORM_PRIORITY);
        pool.setThreadNamePrefix("job");
        pool.setMakeThreadsDaemons(true);
        DirectSchedulerFactory factory = DirectSchedulerFactory.getInstance();
        factory.createScheduler(name, "appliance", pool, store);
        return factory.getScheduler(name);
    }

    /**
     * The name this database's Quartz rows are kept under: made at the first start and stored, so it is stable
     * across restarts and unique among the appliances of one JVM (Quartz keeps schedulers by name per JVM).
     */
    static String schedulerName(Database db) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT NAME FROM JOB_SCHEDULER");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            byte[] b = new byte[4];
            new SecureRandom().nextBytes(b);
            String name = "b24bridge-" + HexFormat.of().formatHex(b);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO JOB_SCHEDULER (NAME) VALUES (?)")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return name;
        });
    }

    private void schedule(Iterable<ScheduledJob> list) throws SchedulerException {
        Instant now = clock.instant();
        for (ScheduledJob j : list) {
            JobKey key = JobKey.jobKey(j.name(), GROUP);
            JobDetail detail = JobBuilder.newJob(QuartzRunner.class).withIdentity(key).withDescription(j.description())
                    .storeDurably().requestRecovery().build();
            scheduler.addJob(detail, true);
            TriggerKey tk = TriggerKey.triggerKey(j.name(), GROUP);
            Trigger stored = scheduler.getTrigger(tk);
            if (stored instanceof SimpleTrigger st && st.getRepeatInterval() == j.every().toMillis()) {
                continue; // the stored schedule goes on; a run missed meanwhile fires now (misfire instruction)
            }
            Trigger every = TriggerBuilder.newTrigger().withIdentity(tk).forJob(key)
                    .startAt(Date.from(now.plus(j.firstAfter())))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(j.every().toMillis()).repeatForever()
                            .withMisfireHandlingInstructionNowWithExistingCount())
                    .build();
            if (stored == null) {
                scheduler.scheduleJob(every);
            } else {
                scheduler.rescheduleJob(tk, every);
            }
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!jobs.containsKey(key.getName())) {
                LOG.info(() -> "job " + key.getName() + " is no longer configured: removed");
                scheduler.deleteJob(key);
            }
        }
    }

    private org.quartz.Job runnerOf(JobKey key) throws SchedulerException {
        ScheduledJob job = jobs.get(key.getName());
        if (job == null) {
            throw new SchedulerException("no job named " + key.getName() + " in this version");
        }
        return new QuartzRunner(job, runs, clock);
    }

    /**
     * Runs the job once, {@code delay} from now, besides its regular runs (e.g. the reconciliation after an AMI
     * reconnect). Asked again before it ran, the one run moves to the later moment: a burst of asks is one run.
     */
    public synchronized void runSoon(String name, Duration delay) {
        if (!jobs.containsKey(name)) {
            throw new IllegalArgumentException("no job named " + name);
        }
        // each ask its own trigger: one reused key raced with its own completion — an ask that replaced a trigger
        // just as it fired was deleted with it when that run completed, and the run it asked for never came
        String prefix = name + "-soon-";
        TriggerKey tk = TriggerKey.triggerKey(prefix + soonAsks.incrementAndGet() + "-" + clock.millis(), GROUP);
        Trigger once = TriggerBuilder.newTrigger().withIdentity(tk).forJob(JobKey.jobKey(name, GROUP))
                .startAt(Date.from(clock.instant().plus(delay)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                for (Trigger earlier : scheduler.getTriggersOfJob(JobKey.jobKey(name, GROUP))) {
                    if (earlier.getKey().getName().startsWith(prefix)) {
                        scheduler.unscheduleJob(earlier.getKey()); // an ask not yet run is this one now
                    }
                }
                scheduler.scheduleJob(once);
                return;
            } catch (SchedulerException e) {
                // Quartz reads the triggers without its own lock, so a run of the same job completing at that
                // moment can make Derby pick this read as a deadlock's victim: the ask (a reconnect's
                // reconciliation) must not be lost to that, so it is asked again
                if (attempt == SCHEDULE_ATTEMPTS || !lockConflict(e)) {
                    throw new StoreException("job " + name + " cannot be scheduled: " + e.getMessage(), e);
                }
                LOG.fine(() -> "job " + name + ": scheduling met a lock conflict, again (" + e.getMessage() + ")");
                pause(Duration.ofMillis(50L * attempt * attempt));
            }
        }
    }

    private static final int SCHEDULE_ATTEMPTS = 6;

    /** Derby's deadlock victim (40001) or lock wait timeout (40XL1), anywhere in the causes. */
    static boolean lockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql
                    && ("40001".equals(sql.getSQLState()) || "40XL1".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while scheduling a job", ie);
        }
    }

    /** Whether a job of this name exists. */
    public boolean has(String name) {
        return jobs.containsKey(name);
    }

    /** Every job: its schedule, its last run and its next. */
    public List<JobStatus> status() {
        Map<String, JobRuns.Run> last = runs.all();
        Set<String> running = Set.of();
        boolean up = isRunning();
        if (up) {
            try {
                running = scheduler.getCurrentlyExecutingJobs().stream().map(JobExecutionContext::getJobDetail)
                        .map(d -> d.getKey().getName()).collect(Collectors.toSet());
            } catch (SchedulerException e) {
                LOG.fine(() -> "running jobs unknown: " + e.getMessage());
            }
        }
        List<JobStatus> out = new ArrayList<>();
        for (ScheduledJob j : jobs.values()) {
            JobRuns.Run r = last.getOrDefault(j.name(), JobRuns.Run.NEVER);
            out.add(new JobStatus(j.name(), j.description(), j.every(), running.contains(j.name()), r.lastStart(),
                    r.lastEnd(), r.lastOk(), r.lastResult(), r.lastError(), up ? nextRun(j.name()).orElse(null) : null,
                    r.runs(), r.failures()));
        }
        return out;
    }

    private Optional<Instant> nextRun(String name) {
        try {
            return scheduler.getTriggersOfJob(JobKey.jobKey(name, GROUP)).stream().map(Trigger::getNextFireTime)
                    .filter(Objects::nonNull).min(Date::compareTo).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** Whether the scheduler runs jobs now (not stopped, not stopping). */
    public boolean isRunning() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /** The {@code jobs} part of {@code /health}. */
    public HealthPart health() {
        return new JobsHealth(this);
    }

    /**
     * Stops: no job starts any more; running ones get the stop's grace to finish. One still running after it is
     * left to end by itself and runs again at the next start (Quartz's recovery), like after a crash.
     */
    @Override
    public void close() {
        try {
            scheduler.standby();
            // Quartz interrupts its threads at shutdown; one interrupted inside Derby loses its connection with a
            // SEVERE line. Paused, they leave Derby within a moment: wait that moment first.
            Thread.sleep(STANDBY_SETTLE.toMillis());
            long deadline = System.nanoTime() + stopGrace.toNanos();
            while (!scheduler.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> still = scheduler.getCurrentlyExecutingJobs().stream()
                    .map(c -> c.getJobDetail().getKey().getName()).toList();
            if (!still.isEmpty()) {
                LOG.warning("jobs " + still + " were still running at stop: they run again at the next start");
            }
            scheduler.shutdown(still.isEmpty());
        } catch (SchedulerException e) {
            LOG.warning("the job scheduler did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
