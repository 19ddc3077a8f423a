package io.b24bridge;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.jobs.Housekeeping;
import io.b24bridge.jobs.Jobs;
import io.b24bridge.jobs.ScheduledJob;
import io.b24bridge.pbx.CallSpineSink;
import io.b24bridge.pbx.Reconciliation;
import io.b24bridge.store.Database;
import io.b24bridge.tls.CertificateExpiry;

/** The appliance's scheduled jobs (Quartz, its store in the same Derby), as {@link Main#start} starts them. */
final class ApplianceJobs {

    /** How often the token-renewal job looks at the access token (Bitrix24's live an hour). */
    private static final Duration TOKEN_RENEWAL_EVERY = Duration.ofMinutes(20);

    private ApplianceJobs() {
    }

    /**
     * Starts the jobs; a reconciliation also runs soon after its PBX's calls settle and after every (re)connect of
     * the PBX's link, not only on its schedule.
     */
    static Jobs start(ApplianceConfig config, Database db, Box box, List<Reconciliation> reconciliations,
                      CertificateExpiry certificates, CallSpineSink spine) {
        Jobs jobs = Jobs.start(db, scheduled(config, db, box, reconciliations, certificates), Clock.systemUTC(),
                config.shutdownGrace());
        for (Reconciliation r : reconciliations) {
            r.whenCallsSettle(delay -> jobs.runSoon(reconcileJob(r.pbx()), delay)); // not 10 minutes later
        }
        spine.onConnected(id -> reconciliations.stream().filter(r -> r.pbx().equals(id)).forEach(
                r -> r.runSoon(Reconciliation.SETTLE))); // calls that ended while it was away
        return jobs;
    }

    private static List<ScheduledJob> scheduled(ApplianceConfig config, Database db, Box box,
                                                List<Reconciliation> reconciliations,
                                                CertificateExpiry certificates) {
        List<ScheduledJob> jobs = new ArrayList<>();
        jobs.add(new ScheduledJob("housekeeping", "removes what storage.retention says is old: done commands, "
                + "finished calls, earlier settings versions, backups", Duration.ofDays(1), Duration.ofMinutes(10),
                new Housekeeping(db, config.storage(), PbxWiring.recordingsDirs(config), Clock.systemUTC())));
        jobs.add(new ScheduledJob("certificates", "reads the appliance's certificates; warns 30, 7 and 1 days before "
                + "one expires", Duration.ofHours(6), Duration.ofHours(6), certificates::refresh));
        if (config.bitrix24().map(b -> b.auth() == ApplianceConfig.AuthMode.APPLICATION).orElse(false)) {
            // Bitrix24's refresh token lapses after 28 days unused: renewed ahead, a quiet month loses nothing, and a
            // renewal that fails shows in /health before a call needs the token
            jobs.add(new ScheduledJob("token-renewal", "renews the Bitrix24 application's access token before it "
                    + "expires", TOKEN_RENEWAL_EVERY, Duration.ofMinutes(1),
                    () -> box.client().renewTokensAhead(TOKEN_RENEWAL_EVERY.plusMinutes(10))));
        }
        for (Reconciliation r : reconciliations) {
            Duration every = config.pbx().stream().filter(p -> p.id().equals(r.pbx())).findFirst().orElseThrow()
                    .reconcileEvery();
            jobs.add(new ScheduledJob(reconcileJob(r.pbx()), "compares PBX " + r.pbx() + "'s own call records with "
                    + "what reached Bitrix24 and repairs: registers calls never seen, finishes calls left open", every,
                    every, r::run));
        }
        return jobs;
    }

    private static String reconcileJob(String pbx) {
        return "reconcile-" + pbx.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
