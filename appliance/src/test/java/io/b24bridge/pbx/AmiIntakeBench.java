package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.event.ManagerEvent;

import io.b24bridge.config.Secret;
import io.b24bridge.testkit.pbx.PbxSimulator;
import io.b24bridge.testkit.pbx.ReplayOptions;
import io.b24bridge.testkit.pbx.Transcript;

/**
 * Not a test: replays recorded calls through the PBX simulator into one {@link AmiConnection} and prints
 * <ol>
 *   <li>at full speed: the intake rate (events a second reaching the sink);</li>
 *   <li>paced at a steady call rate: the delay from the simulator's write (the event's {@code Timestamp},
 *       µs) to the sink call, p50/p99/max — at full speed that delay only measures the backlog.</li>
 * </ol>
 * Run from {@code appliance/} (after {@code ./mvnw -o -pl testkit,appliance test-compile}):
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:../testkit/target/classes:$(cat /tmp/cp.txt) \
 *      io.b24bridge.pbx.AmiIntakeBench [calls=5000] [paced-calls-per-second=100] [consumer-µs=0]
 * </pre>
 * {@code consumer-µs} makes the sink spend that long on each event (a slower consumer: watch the back-pressure).
 */
public final class AmiIntakeBench {

    private static final Logger QUIET = Logger.getLogger("org.asteriskjava"); // held: JUL keeps loggers weakly

    private AmiIntakeBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        double pacedRate = args.length > 1 ? Double.parseDouble(args[1]) : 100;
        long consumerNanos = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 0;
        QUIET.setLevel(Level.SEVERE); // its "slow processing" warnings would drown the figures
        Transcript t = Transcript.ringGroupCall();
        int perCall = AmiConnectionTest.eventsPerCall(t, 0);

        try (PbxSimulator sim = PbxSimulator.start("b24bridge", "bench")) {
            Sink sink = new Sink(consumerNanos);
            AmiSettings s = new AmiSettings("bench", "127.0.0.1", sim.port(), "b24bridge", Secret.of("bench"),
                    Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), Duration.ofSeconds(5), AmiSettings.DEFAULT_QUEUE_CAPACITY);
            try (AmiConnection c = new AmiConnection(s, sink)) {
                c.start();
                if (!sink.connected.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no link: " + c.status().lastError());
                }
                run(sim, t, sink, ReplayOptions.of(500, 0).stamped(), perCall); // warm-up: JIT, parser caches

                long elapsed = run(sim, t, sink, ReplayOptions.of(calls, 0).stamped(), perCall);
                long total = (long) calls * perCall;
                System.out.printf("full speed: %d calls, %d events (%d a call) in %d ms = %.0f events/s "
                        + "(%.0f calls/s)%n", calls, total, perCall, elapsed / 1_000_000, total * 1e9 / elapsed,
                        calls * 1e9 / elapsed);
                System.out.printf("  (write -> sink delay at full speed, i.e. the backlog: p50 %s)%n",
                        sink.percentiles());

                int paced = (int) Math.max(100, pacedRate * 10); // about ten seconds
                run(sim, t, sink, ReplayOptions.of(paced, pacedRate).spreadOver(Duration.ofSeconds(5)).stamped(),
                        perCall);
                System.out.printf("paced: %d calls at %.0f calls/s (%.0f events/s, calls overlapping over 5 s): "
                        + "write -> sink p50 %s%n", paced, pacedRate, pacedRate * perCall, sink.percentiles());
                AmiConnection.Status st = c.status();
                System.out.printf("consumer %d µs/event; back-pressure waits %d (%d ms in all), resyncs %d, "
                        + "queue capacity %d%n", consumerNanos / 1000, st.backPressureWaits(),
                        st.backPressureTime().toMillis(), st.resyncs(), st.queueCapacity());
            }
        }
    }

    /** Replays and waits for every event at the sink; returns the nanoseconds it took. */
    private static long run(PbxSimulator sim, Transcript t, Sink sink, ReplayOptions o, int perCall)
            throws InterruptedException {
        sink.expect(o.times() * perCall);
        long t0 = System.nanoTime();
        sim.replay(t, o);
        int seen = -1;
        while (!sink.done.await(5, TimeUnit.SECONDS)) {
            if (sink.count == seen) { // no progress: events were lost (a consumer far slower than the PBX)
                System.out.printf("only %d of %d events arrived: the consumer fell behind asterisk-java's "
                        + "buffer, the link was rebuilt (see resyncs)%n", sink.count, sink.expected);
                break;
            }
            seen = sink.count;
        }
        return System.nanoTime() - t0;
    }

    /** Measures the delay of each event from its Timestamp (written by the simulator) to now. */
    private static final class Sink implements PbxEventSink {
        final CountDownLatch connected = new CountDownLatch(1);
        final long consumerNanos;
        volatile CountDownLatch done = new CountDownLatch(1);
        long[] delays = new long[0];
        volatile int count;
        volatile int expected;

        Sink(long consumerNanos) {
            this.consumerNanos = consumerNanos;
        }

        void expect(int n) {
            delays = new long[n];
            count = 0;
            expected = n;
            done = new CountDownLatch(1);
        }

        String percentiles() {
            long[] d = Arrays.copyOf(delays, count);
            Arrays.sort(d);
            return d[d.length / 2] + " µs, p99 " + d[(int) (d.length * 0.99)] + " µs, max " + d[d.length - 1] + " µs";
        }

        @Override
        public void onConnected(String pbxId, ChannelsSnapshot channelsNow) {
            connected.countDown();
        }

        @Override
        public void onEvent(String pbxId, ManagerEvent event) {
            Double ts = event.getTimestamp();
            if (ts == null || count >= expected) {
                return; // the login's FullyBooted
            }
            Instant now = Instant.now();
            delays[count] = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - Math.round(ts * 1_000_000);
            if (consumerNanos > 0) {
                long until = System.nanoTime() + consumerNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            if (++count == expected) {
                done.countDown();
            }
        }

        @Override
        public void onDisconnected(String pbxId, String reason) {
            System.out.println("disconnected: " + reason);
        }
    }
}
