package io.b24bridge.testkit.asterisk;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pair by hand (testkit/asterisk/pair.sh wraps it):
 * <pre>
 *   up [pbx:FILE=PATH | world:FILE=PATH]...   start the pair (base configs, plus files), print where, run
 *                                             until Ctrl-C, then stop it
 *   call DID CALLER [TALK_SECONDS]            on a running pair: the carrier calls DID from CALLER; waits for
 *                                             the end (TALK_SECONDS 0: until the PBX hangs up)
 * </pre>
 * Settings come from the same properties and environment as the tests' ({@link AsteriskSettings}).
 */
public final class AsteriskPairMain {

    private AsteriskPairMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        AsteriskSettings settings = AsteriskSettings.fromEnvironment();
        switch (args[0]) {
            case "up" -> up(settings, args);
            case "call" -> call(settings, args);
            default -> usage();
        }
    }

    private static void up(AsteriskSettings settings, String[] args) throws Exception {
        Scenario scenario = Scenario.base().named("by hand");
        for (int i = 1; i < args.length; i++) {
            String[] spec = args[i].split("[:=]", 3);
            if (spec.length != 3) {
                throw new IllegalArgumentException("expected pbx:FILE=PATH or world:FILE=PATH, got " + args[i]);
            }
            scenario = switch (spec[0]) {
                case "pbx" -> scenario.withPbxFile(spec[1], Path.of(spec[2]));
                case "world" -> scenario.withWorldFile(spec[1], Path.of(spec[2]));
                default -> throw new IllegalArgumentException("pbx or world, not " + spec[0]);
            };
        }
        SharedPair shared = new SharedPair(settings);
        AsteriskPair pair;
        try {
            pair = shared.acquire(scenario);
        } catch (SharedPair.CannotRun e) {
            System.err.println("cannot run the pair: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                shared.close();
                System.out.println("pair stopped");
            } catch (IOException e) {
                System.err.println("stopping: " + e);
            }
        }));
        System.out.printf("""
                pair up in %d ms
                  PBX AMI      %s (secret from b24bridge.asterisk.amiSecret, default test-secret)
                  world AMI    %s
                  PBX SIP      %s:%d   carrier %s:%d   phones %s:%d
                  recordings   %s
                  PBX log      %s
                Ctrl-C stops it.
                """, pair.startupTime().toMillis(), pair.pbxAmi(), settings.worldAmi(),
                settings.pbxSipHost(), settings.sipPort(), settings.carrierSipHost(), settings.sipPort(),
                settings.phonesSipHost(), settings.sipPort(), pair.recordingsDir(), pair.pbxLog());
        Thread.currentThread().join();
    }

    private static void call(AsteriskSettings settings, String[] args) throws Exception {
        if (args.length < 3) {
            usage();
            return;
        }
        Duration talk = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 5);
        try (AmiClient ami = AmiClient.connect(settings.worldAmi(), Duration.ofSeconds(5), null)) {
            World world = new World(ami);
            WorldCall call = world.originate("PJSIP/" + args[1] + "@pbx", "<" + args[2] + ">", WorldScript.talks(talk),
                    "inbound call " + args[2] + " -> DID " + args[1]);
            System.out.println("answered: " + call.awaitAnswer(Duration.ofSeconds(60)));
            System.out.println("ended, cause " + call.awaitEnd(Duration.ofMinutes(10)));
        }
    }

    private static void usage() {
        System.err.println("usage: up [pbx:FILE=PATH|world:FILE=PATH]... | call DID CALLER [TALK_SECONDS]");
    }
}
