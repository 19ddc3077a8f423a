package io.b24bridge.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.health.HealthPart;
import io.b24bridge.health.PartHealth;

/**
 * The {@code jobs} part of {@code /health}: each job's last run, its next and its last error. DEGRADED while a
 * job's last run failed (it tries again at its next turn), DOWN when the scheduler does not run.
 */
final class JobsHealth implements HealthPart {

    private final Jobs jobs;

    JobsHealth(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public PartHealth check() {
        List<JobStatus> all = jobs.status();
        Map<String, Object> facts = new LinkedHashMap<>();
        for (JobStatus j : all) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("lastRun", j.lastStart());
            f.put("lastOk", j.lastOk());
            f.put("nextRun", j.nextRun());
            f.put("lastError", j.lastError());
            facts.put(j.name(), f);
        }
        if (!jobs.isRunning()) {
            return PartHealth.down("the job scheduler is stopped", facts);
        }
        List<String> failing = all.stream().filter(j -> Boolean.FALSE.equals(j.lastOk())).map(JobStatus::name).toList();
        if (!failing.isEmpty()) {
            return new PartHealth(PartHealth.State.DEGRADED, "the last run of " + String.join(", ", failing)
                    + " failed (see lastError; each tries again at its next run)", facts);
        }
        return PartHealth.up(all.size() + " jobs scheduled", facts);
    }
}
