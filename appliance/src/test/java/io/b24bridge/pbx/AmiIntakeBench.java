package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ManagerEvent;

import io.b24bridge.config.Secret;
import io.b24bridge.testkit.pbx.PbxSimulator;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;
import io.b24bridge.testkit.pbx.Transcript;

/**
 * Not a test: replays N recorded calls through the PBX simulator at full speed into one {@link AmiConnection}
 * and prints the intake rate (events a second reaching the sink) and the delay from the simulator's write (the
 * event's {@code Timestamp}) to the sink call, p50/p99/max. Run from {@code appliance/}:
 * <pre>
 * ../mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.b24bridge.pbx.AmiIntakeBench [calls] [consumer-µs]
 * </pre>
 * {@code consumer-µs} makes the sink spend that long on each event (a slower consumer: watch the back-pressure).
 */
public final class AmiIntakeBench {

    private AmiIntakeBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long consumerNanos = args.length > 1 ? Long.parseLong(args[1]) * 1000 : 0;
        Transcript t = Transcript.ringGroupCall();
        int perCall = AmiConnectionTest.eventsPerCall(t, 0);
        int total = calls * perCall;

        try (PbxSimulator sim = PbxSimulator.start("b24bridge", "bench")) {
            Sink sink = new Sink(total, consumerNanos);
            AmiSettings s = new AmiSettings("bench", "127.0.0.1", sim.port(), "b24bridge", Secret.of("bench"),
                    Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), Duration.ofSeconds(5), AmiSettings.DEFAULT_QUEUE_CAPACITY);
            try (AmiConnection c = new AmiConnection(s, sink)) {
                c.start();
                if (!sink.connected.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no link: " + c.status().lastError());
                }
                // warm-up: the JIT, the parser's reflection caches
                warm(sim, t, sink);
                sink.reset();
                long t0 = System.nanoTime();
                Replay replay = sim.replay(t, ReplayOptions.of(calls, 0).stamped());
                if (!sink.done.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + sink.count + " of " + total + " events arrived");
                }
                long elapsed = System.nanoTime() - t0;
                replay.await(Duration.ofSeconds(5));
                AmiConnection.Status st = c.status();
                long[] d = Arrays.copyOf(sink.delays, sink.count);
                Arrays.sort(d);
                System.out.printf("%d calls, %d events (%d a call) in %d ms%n", calls, total, perCall,
                        elapsed / 1_000_000);
                System.out.printf("intake: %.0f events/s (%.0f calls/s)%n", total * 1e9 / elapsed, calls * 1e9 / elapsed);
                System.out.printf("simulator write -> sink call: p50 %d µs, p99 %d µs, max %d µs%n",
                        d[d.length / 2], d[(int) (d.length * 0.99)], d[d.length - 1]);
                System.out.printf("consumer %d µs/event; back-pressure waits %d (%d ms), resyncs %d, queue capacity %d%n",
                        consumerNanos / 1000, st.backPressureWaits(), st.backPressureTime().toMillis(), st.resyncs(),
                        st.queueCapacity());
            }
        }
    }

    private static void warm(PbxSimulator sim, Transcript t, Sink sink) throws InterruptedException {
        int warmCalls = 200;
        sink.expect(warmCalls * AmiConnectionTest.eventsPerCall(t, 0));
        sim.replay(t, ReplayOptions.of(warmCalls, 0).stamped());
        sink.done.await(1, TimeUnit.MINUTES);
    }

    /** Measures the delay of each event from its Timestamp (written by the simulator) to now. */
    private static final class Sink implements PbxEventSink {
        final CountDownLatch connected = new CountDownLatch(1);
        volatile CountDownLatch done;
        final long consumerNanos;
        long[] delays;
        int count;
        int expected;

        Sink(int expected, long consumerNanos) {
            this.consumerNanos = consumerNanos;
            this.delays = new long[expected];
            expect(expected);
        }

        void expect(int n) {
            expected = n;
            count = 0;
            if (delays.length < n) {
                delays = new long[n];
            }
            done = new CountDownLatch(1);
        }

        void reset() {
            expect(delays.length);
        }

        @Override
        public void onConnected(String pbxId, List<CoreShowChannelEvent> channelsNow) {
            connected.countDown();
        }

        @Override
        public void onEvent(String pbxId, ManagerEvent event) {
            Instant now = Instant.now();
            long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
            Double ts = event.getTimestamp();
            if (ts != null && count < delays.length) {
                delays[count] = nowMicros - Math.round(ts * 1_000_000);
            }
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
