package io.b24bridge.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.b24bridge.testkit.pbx.Mix;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;
import io.b24bridge.testkit.pbx.Transcript;

/** Not a test: one load run, printed. Args: rate seconds [mix|transcript] [spreadSeconds] [jvm options...]. */
public final class LoadProbe {
    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Mix mix = args.length > 2 && !args[2].equals("call-centre") ? Mix.of(Transcript.find(args[2])) : Mix.callCentre();
        Duration spread = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 8);
        List<String> jvm = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
        Path dir = Files.createTempDirectory("b24bridge-probe");
        try (LoadRig rig = LoadRig.start(dir, dir.resolve("data"), jvm, b -> { })) {
            int calls = (int) Math.round(rate * seconds);
            long pid = rig.appliance().pid();
            long cpu0 = ProcStats.cpuMillis(pid);
            long own0 = ProcStats.ownCpuMillis();
            long m0 = ProcStats.machineBusyMillis();
            long t0 = System.nanoTime();
            Replay r = rig.place(mix, calls, rate, spread, ReplayOptions.Listener.NONE);
            while (!r.await(Duration.ofSeconds(5))) {
                try {
                    long h0 = System.nanoTime();
                    var health = rig.health();
                    System.out.printf("  t=%ds started %d, health in %d ms: outbox %s, pbx %s%n",
                            (System.nanoTime() - t0) / 1_000_000_000, r.callsStarted(), (System.nanoTime() - h0) / 1_000_000,
                            health.path("parts").path("outbox").path("facts").path("waiting"),
                            health.path("parts").path("pbx").path("facts"));
                } catch (RuntimeException e) {
                    System.out.println("  health failed: " + e);
                }
            }
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < end) {
                CrmLedger l = CrmLedger.of(r.placed(), rig.emu());
                long waiting = -1;
                try {
                    waiting = rig.outboxWaiting();
                } catch (RuntimeException e) {
                    System.out.println("  health failed: " + e);
                }
                System.out.printf("  %s; outbox %d%n", l, waiting);
                if (l.finished() == l.placed() && waiting == 0) {
                    break;
                }
                Thread.sleep(5000);
            }
            rig.emu().requests().all().stream().filter(e -> e.error() != null).limit(5)
                    .forEach(e -> System.out.println("  box error: " + e.method() + " " + e.params() + " -> " + e.errorDescription()));
            long wall = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("cpu over %d ms: appliance %d ms (%.1f ms a call), load JVM (sim+emulator) %d ms, "
                    + "machine busy %d ms of %d ms on %d cores; appliance RSS %d MiB (peak %d)%n", wall,
                    ProcStats.cpuMillis(pid) - cpu0, (ProcStats.cpuMillis(pid) - cpu0) / (double) calls,
                    ProcStats.ownCpuMillis() - own0, ProcStats.machineBusyMillis() - m0, wall * ProcStats.cores(),
                    ProcStats.cores(), ProcStats.rssKib(pid) / 1024, ProcStats.peakRssKib(pid) / 1024);
            System.out.println("final: " + CrmLedger.of(r.placed(), rig.emu()));
            System.out.println("health: " + rig.health());
            String out = rig.output();
            System.out.println("appliance output (" + out.length() + " chars), last lines:\n"
                    + out.substring(Math.max(0, out.length() - 4000)));
        }
        System.exit(0);
    }
}
