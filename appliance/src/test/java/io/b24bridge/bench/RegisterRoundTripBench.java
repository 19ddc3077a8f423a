package io.b24bridge.bench;

import java.util.Arrays;

import io.b24bridge.bitrix.TelephonyApi;

/**
 * Not a test: the round trip of one {@code telephony.externalcall.register}, the appliance's box client →
 * the box emulator, over warm mutual TLS (both in this JVM, on loopback). Prints median, p90, p99, p99.9 and
 * the rate over N sequential calls after a warm-up.
 * <pre>
 * ../mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.b24bridge.bench.RegisterRoundTripBench [N]
 * </pre>
 */
public final class RegisterRoundTripBench {

    private RegisterRoundTripBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmup = Math.max(2_000, n / 5);
        try (InstalledBox box = InstalledBox.start("b24bridge-bench", 1_000_000)) {
            TelephonyApi telephony = new TelephonyApi(box.client());
            for (int i = 0; i < warmup; i++) {
                register(telephony, "w" + i);
            }
            long[] nanos = new long[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                register(telephony, "m" + i);
                nanos[i] = System.nanoTime() - s;
            }
            long total = System.nanoTime() - t0;
            Arrays.sort(nanos);
            System.out.printf("register round trip over warm mTLS, %d calls after %d warm-up (2 cores, one JVM):%n",
                    n, warmup);
            System.out.printf("  median %.3f ms   p90 %.3f ms   p99 %.3f ms   p99.9 %.3f ms   max %.3f ms%n",
                    ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), ms(nanos, 0.999), nanos[n - 1] / 1e6);
            System.out.printf("  %.0f registers/s sequential%n", n / (total / 1e9));
        }
    }

    private static void register(TelephonyApi telephony, String id) throws Exception {
        telephony.register(new TelephonyApi.Register(null, "101", "+79162000001", TelephonyApi.CallType.INCOMING,
                null, true, null, "74951234567", "bench:" + id, true, null, null));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
