package io.b24bridge.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as {@code GET /api/jobs} and {@code /health} show it.
 *
 * @param running    it runs right now
 * @param lastStart  when its last run began (null: never ran)
 * @param lastEnd    when its last run ended; before {@code lastStart} when a crash cut the run short
 * @param lastOk     whether the last run succeeded (null: never ran)
 * @param lastResult what the last successful run did
 * @param lastError  why the last run failed (null after a success)
 * @param nextRun    when it runs next (null: the scheduler is stopped)
 */
public record JobStatus(String name, String description, Duration every, boolean running, Instant lastStart,
                        Instant lastEnd, Boolean lastOk, String lastResult, String lastError, Instant nextRun,
                        long runs, long failures) {
}
