package io.b24bridge.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * How Quartz runs one of the appliance's {@link ScheduledJob}s: the run is recorded before and after
 * ({@link JobRuns}), a failure is logged and kept as the job's last error, never thrown back at Quartz (the
 * next run tries again). One run of a job at a time: Quartz does not start a job again while it runs.
 */
@DisallowConcurrentExecution
final class QuartzRunner implements Job {

    private static final Logger LOG = Logger.getLogger(QuartzRunner.class.getName());

    private final ScheduledJob job;
    private final JobRuns runs;
    private final Clock clock;

    QuartzRunner(ScheduledJob job, JobRuns runs, Clock clock) {
        this.job = job;
        this.runs = runs;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) {
        Instant start = clock.instant();
        try {
            runs.started(job.name(), start);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + job.name() + ": its start could not be recorded", e);
        }
        try {
            String result = job.work().run();
            LOG.fine(() -> "job " + job.name() + " done: " + result);
            record(() -> runs.succeeded(job.name(), clock.instant(), result));
        } catch (Exception e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(Level.WARNING, "job " + job.name() + " failed (it runs again at its next turn): " + error, e);
            record(() -> runs.failed(job.name(), clock.instant(), error));
        }
    }

    private void record(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + job.name() + ": its end could not be recorded", e);
        }
    }
}
