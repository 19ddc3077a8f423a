package io.b24bridge.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kind of scheduled work: run every {@code every} (the first time {@code firstAfter} after it was first
 * scheduled), and whenever something asks for it ({@link Jobs#runSoon}). Its {@link Work} must be safe to run
 * again after a crash cut into it: a job that was running when the appliance died runs again at the next start.
 *
 * @param name        a short key ({@code housekeeping}, {@code reconcile-pbx1}): the job's name in Quartz, the API
 *                    and /health
 * @param description one sentence for a person
 * @param every       the interval between two runs
 * @param firstAfter  the first run, counted from when the job is first scheduled (not on later starts: then the
 *                    stored schedule goes on, and a run missed while the appliance was down comes at once)
 */
public record ScheduledJob(String name, String description, Duration every, Duration firstAfter, Work work) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public ScheduledJob {
        Objects.requireNonNull(work, "work");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job name '" + name + "' must be lower-case letters, digits and -");
        }
        if (every.compareTo(Duration.ofSeconds(1)) < 0 || firstAfter.isNegative()) {
            throw new IllegalArgumentException("job " + name + ": runs at most every second, first after >= 0");
        }
    }

    /** What a job does when it runs. */
    @FunctionalInterface
    public interface Work {

        /**
         * Does the job once.
         *
         * @return one line saying what it did ("3 calls registered, 120 known"), shown as its last result
         * @throws Exception when it failed: its message is shown as the job's last error; the next run tries again
         */
        String run() throws Exception;
    }
}
