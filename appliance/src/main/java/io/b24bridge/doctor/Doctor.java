package io.b24bridge.doctor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.config.ConfigException;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.web.LocalAdmin;

/**
 * {@code b24bridge doctor --config FILE}: checks what an installation needs and prints one line per check,
 * {@code OK} / {@code WARN} / {@code FAIL} with what to fix. Exit status 1 when anything FAILs, else 0.
 * Every finding is explained in docs/troubleshooting.md.
 */
public final class Doctor {

    private final ClockCheck.Commands commands;
    private final long diskWarnBelow;
    private final long diskFailBelow;
    private final Duration probeTimeout;

    Doctor(ClockCheck.Commands commands, long diskWarnBelow, long diskFailBelow, Duration probeTimeout) {
        this.commands = commands;
        this.diskWarnBelow = diskWarnBelow;
        this.diskFailBelow = diskFailBelow;
        this.probeTimeout = probeTimeout;
    }

    /** The command: real clock commands, the default disk limits. */
    public static int run(Path configFile, Map<String, String> environment, PrintStream out) {
        return new Doctor(ClockCheck::system, DiskCheck.WARN_BELOW, DiskCheck.FAIL_BELOW, Duration.ofSeconds(3))
                .report(configFile, environment, out);
    }

    int report(Path configFile, Map<String, String> environment, PrintStream out) {
        List<Finding> findings = check(configFile, environment);
        long fails = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warns = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        findings.forEach(f -> out.println(f.line()));
        out.printf("doctor: %d OK, %d WARN, %d FAIL (what each means: troubleshooting.md)%n",
                findings.size() - fails - warns, warns, fails);
        return fails > 0 ? 1 : 0;
    }

    List<Finding> check(Path configFile, Map<String, String> environment) {
        List<Finding> out = new ArrayList<>();
        ApplianceConfig config;
        try {
            config = ConfigLoader.load(configFile, environment);
            out.add(Finding.ok("config", "loads: " + config.source()));
        } catch (ConfigException e) {
            out.add(Finding.fail("config", e.getMessage() + " (the other checks need a configuration that loads)"));
            return out;
        }
        Instant now = Instant.now();
        out.add(CertificateCheck.check("certs.box-listener", config.boxListener().tls(), CertificateCheck.SERVER_AUTH, now));
        out.add(CertificateCheck.check("certs.admin-listener", config.adminListener().tls(), CertificateCheck.SERVER_AUTH, now));
        config.bitrix24().ifPresent(b ->
                out.add(CertificateCheck.check("certs.bitrix24-client", b.tls(), CertificateCheck.CLIENT_AUTH, now)));

        Optional<AdminProbe.Health> running = Optional.empty();
        String url = LocalAdmin.url(config.adminListener());
        try {
            AdminProbe.Health h = AdminProbe.health(config, probeTimeout);
            running = Optional.of(h);
            out.add(h.healthy()
                    ? Finding.ok("appliance", "running: b24bridge " + h.version() + ", health " + h.status() + " (" + url + "/health)")
                    : Finding.fail("appliance", "running but unhealthy: health " + h.status() + " (HTTP " + h.httpStatus()
                    + "): see " + url + "/health for the part that is DOWN"));
        } catch (IOException | RuntimeException e) {
            out.add(Finding.warn("appliance", "not running, or its admin listener does not answer at " + url
                    + ": start it (systemctl start b24bridge) or check listeners.admin"));
        }

        out.addAll(BoxCheck.run(config, running));
        // whose clicks reach us: the running appliance checks it itself (a stopped one is looked at in BoxAuthCheck)
        running.map(h -> ClickLinesFinding.fromHealth(h.body().path("parts").path("outgoingLines")))
                .ifPresent(out::add);
        out.addAll(PbxCheck.run(config, (int) probeTimeout.toMillis()));
        out.add(DiskCheck.check(config.storage().dir(), diskWarnBelow, diskFailBelow));
        out.add(ClockCheck.check(commands));
        return out;
    }
}
