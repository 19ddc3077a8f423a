package io.b24bridge.testkit.pbx;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the PBX simulator on its own, for the sandbox and benchmarks:
 * <pre>
 * java -cp testkit/target/b24bridge-testkit.jar io.b24bridge.testkit.pbx.PbxSimulatorMain \
 *      [--host 127.0.0.1] [--port 5038] [--user b24bridge] [--secret test-secret] \
 *      [--replay FILE-OR-NAME|call-centre --rate CALLS-PER-SECOND [--times N] [--spread 20s] [--recorded-pace]
 *       [--unique-callers] [--max-in-progress N] [--garbage-every N]] [--drop-every 5s] [--slow-actions 200ms]
 *      [--write-timeout 1s] [--recordings DIR] [--master-csv FILE]
 * </pre>
 * {@code --replay} takes a transcript file or the name of a bundled one ({@code ami-transcripts/}); the replay
 * starts once a client has logged in and runs {@code --times} calls (default: until stopped). Stop with Ctrl-C.
 */
public final class PbxSimulatorMain {

    static final String USAGE = """
            usage: PbxSimulatorMain [--host H] [--port P] [--user U] [--secret S]
                                    [--replay FILE|NAME [--rate CALLS_PER_SECOND] [--times N] [--spread DURATION]]
              --host     address to listen on (default 127.0.0.1)
              --port     AMI port (default 5038; 0 = any free port)
              --user     AMI user (default b24bridge)
              --secret   its secret (default test-secret)
              --replay   a transcript file, or a bundled one's name:
                           inbound-did-ringgroup-101-answers-102-cancelled, inbound-local-channels-originate
              --rate     calls started per second (default 1; 0 = as fast as the client reads)
              --times    calls to replay (default: until stopped)
              --spread   spread each call's events over this time, e.g. 20s (default: back to back)
              --recorded-pace     each call's events as far apart as Asterisk sent them (when recorded with times)
              --unique-callers    each call's client number its own (7999NNNNNNN instead of the recording's)
              --max-in-progress   at most this many calls at once (a PBX's channel limit)
              --garbage-every     a block of garbage on the wire after every N events
              --drop-every        drop every client connection this often, e.g. 5s
              --slow-actions      answer every action after this delay, e.g. 200ms
              --write-timeout     drop a client whose write stays stuck this long (default 1s, as the test PBX)
              --recordings        write each recording the dialplan names under this folder (8 KB WAV)
              --master-csv        write a Master.csv row for every Cdr event
            call-centre replays the bundled recordings in a call centre's proportions (testkit Mix.callCentre)
            """;

    private PbxSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pbx-simulator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (a.help) {
            System.out.print(USAGE);
            return;
        }
        run(a, System.out);
    }

    static void run(Args a, PrintStream out) throws InterruptedException {
        PbxSimulator sim = PbxSimulator.start(PbxSimulator.Options.of(a.user, a.secret).withHost(a.host).withPort(a.port));
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "pbx-sim-stop"));
        out.printf("PBX simulator: AMI on %s:%d, user %s%n", sim.host(), sim.port(), a.user);
        sim.faults().writeTimeout(a.writeTimeout).slowActions(a.slowActions);
        if (a.recordings != null) {
            sim.recordings(java.nio.file.Path.of(a.recordings), "/var/spool/asterisk-pbx/monitor", 8192);
        }
        if (a.masterCsv != null) {
            sim.masterCsv(java.nio.file.Path.of(a.masterCsv));
        }
        if (!a.dropEvery.isZero()) {
            sim.faults().dropEvery(a.dropEvery);
        }
        Replay replay = null;
        if (a.replay != null) {
            Mix mix = a.replay.equals("call-centre") ? Mix.callCentre() : Mix.of(Transcript.find(a.replay));
            out.printf("waiting for a client to log in, then replaying %s (%.0f events a call) at %s calls/s%n",
                    a.replay, mix.eventsPerCall(), a.rate);
            while (!sim.awaitSessions(1, Duration.ofMinutes(1))) {
                out.println("… still waiting for a login");
            }
            ReplayOptions o = ReplayOptions.of(a.times, a.rate).spreadOver(a.spread).maxInProgress(a.maxInProgress)
                    .garbageEvery(a.garbageEvery);
            o = a.recordedPace ? o.atRecordedPace() : o;
            o = a.uniqueCallers ? o.replacing(Mix.RECORDED_CLIENT, n -> "7999" + String.format("%07d", n % 10_000_000)) : o;
            replay = sim.replay(mix, o);
        }
        long lastSent = 0;
        long lastAt = System.nanoTime();
        while (true) {
            Thread.sleep(10_000);
            long sent = sim.eventsSent();
            long now = System.nanoTime();
            out.printf("sessions %d, events sent %d (%.0f/s), calls started %s, channels up %d%n", sim.sessions(),
                    sent, (sent - lastSent) * 1e9 / (now - lastAt), replay == null ? "-" : replay.callsStarted(),
                    sim.activeChannels());
            lastSent = sent;
            lastAt = now;
            if (replay != null && replay.isDone()) {
                out.println("replay done; still serving (Ctrl-C to stop)");
                replay = null;
            }
        }
    }

    /** The parsed command line. */
    static final class Args {
        String host = "127.0.0.1";
        int port = 5038;
        String user = "b24bridge";
        String secret = "test-secret";
        String replay;
        double rate = 1;
        int times = Integer.MAX_VALUE;
        Duration spread = Duration.ZERO;
        boolean recordedPace;
        boolean uniqueCallers;
        int maxInProgress;
        int garbageEvery;
        Duration dropEvery = Duration.ZERO;
        Duration slowActions = Duration.ZERO;
        Duration writeTimeout = Duration.ofSeconds(1);
        String recordings;
        String masterCsv;
        boolean help;

        static Args parse(String[] args) {
            Args a = new Args();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String opt = rest.removeFirst();
                if (opt.equals("--help") || opt.equals("-h")) {
                    a.help = true;
                    continue;
                }
                if (opt.equals("--recorded-pace") || opt.equals("--unique-callers")) {
                    a.recordedPace |= opt.equals("--recorded-pace");
                    a.uniqueCallers |= opt.equals("--unique-callers");
                    continue;
                }
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(opt.startsWith("--") ? opt + " needs a value" : "unknown argument " + opt);
                }
                String v = rest.removeFirst();
                try {
                    switch (opt) {
                        case "--host" -> a.host = v;
                        case "--port" -> a.port = Integer.parseInt(v);
                        case "--user" -> a.user = v;
                        case "--secret" -> a.secret = v;
                        case "--replay" -> a.replay = v;
                        case "--rate" -> a.rate = Double.parseDouble(v);
                        case "--times" -> a.times = Integer.parseInt(v);
                        case "--spread" -> a.spread = duration(v);
                        case "--max-in-progress" -> a.maxInProgress = Integer.parseInt(v);
                        case "--garbage-every" -> a.garbageEvery = Integer.parseInt(v);
                        case "--drop-every" -> a.dropEvery = duration(v);
                        case "--slow-actions" -> a.slowActions = duration(v);
                        case "--write-timeout" -> a.writeTimeout = duration(v);
                        case "--recordings" -> a.recordings = v;
                        case "--master-csv" -> a.masterCsv = v;
                        default -> throw new IllegalArgumentException("unknown option " + opt);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(opt + ": '" + v + "' is not a number");
                }
            }
            if (a.times < 1) {
                throw new IllegalArgumentException("--times must be at least 1");
            }
            return a;
        }

        static Duration duration(String v) {
            String s = v.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(s));
        }
    }
}
