package io.b24bridge.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Is the clock synchronised? Certificates and the box's OAuth tokens are checked against it, so a drifting
 * clock shows up as "certificate not yet valid" or tokens expiring early. Asks systemd, then chrony, then ntpd;
 * says plainly when none of them can tell.
 */
final class ClockCheck {

    /** Runs a command; its standard output when it exited 0 in time, else empty. */
    interface Commands {
        Optional<String> run(String... command);
    }

    private ClockCheck() {
    }

    static Finding check(Commands commands) {
        Optional<String> systemd = commands.run("timedatectl", "show", "-p", "NTPSynchronized", "--value");
        if (systemd.isPresent()) {
            String v = systemd.get().strip().toLowerCase(Locale.ROOT);
            if (v.equals("yes")) {
                return Finding.ok("clock", "synchronised (systemd: NTPSynchronized=yes)");
            }
            if (v.equals("no")) {
                return Finding.warn("clock", "not synchronised (systemd: NTPSynchronized=no): point "
                        + "systemd-timesyncd or chrony at the corporate time server; certificate and token "
                        + "expiry depend on the clock");
            }
        }
        Optional<String> chrony = commands.run("chronyc", "-n", "tracking");
        if (chrony.isPresent()) {
            return chrony.get().contains("Leap status     : Normal")
                    ? Finding.ok("clock", "synchronised (chrony: leap status normal)")
                    : Finding.warn("clock", "chrony is not synchronised (chronyc tracking): check its sources");
        }
        if (commands.run("ntpstat").isPresent()) {
            return Finding.ok("clock", "synchronised (ntpstat)");
        }
        return Finding.warn("clock", "cannot tell whether the clock is synchronised (no answer from timedatectl, "
                + "chronyc or ntpstat): make sure NTP runs on this machine or its host");
    }

    /** Real commands, with a short time limit each. */
    static Optional<String> system(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readNBytes(16 * 1024);
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
