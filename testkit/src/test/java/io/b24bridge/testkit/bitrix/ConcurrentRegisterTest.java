package io.b24bridge.testkit.bitrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark's hot path (register + finish over warm mutual TLS) from many clients at once: every call is
 * answered and kept apart, nothing deadlocks, and the request log stays bounded. The round-trip times are
 * logged for a look, not asserted (a shared build machine is no benchmark).
 */
class ConcurrentRegisterTest {

    private static final Logger LOG = Logger.getLogger(ConcurrentRegisterTest.class.getName());

    @TempDir
    static Path dir;

    @Test
    void eightClientsRegisterAndFinishTwoThousandCallsWithoutLosingOne() throws Exception {
        try (TestBox box = TestBox.start(dir, b -> b.requestLogSize(1000))) {
            box.emu.addUser(User.of(2, "Ivan", "101", null));
            List<Long> alone = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                box.register(2, "+7926" + String.format("%07d", i), "EXTERNAL_CALL_ID", "warm-" + i);
                alone.add((System.nanoTime() - t0) / 1000);
            }
            List<Long> one = alone.subList(100, 300).stream().sorted().toList();
            LOG.info(() -> "register round trip over warm mTLS, one client: p50 " + one.get(one.size() / 2) + " us");
            box.emu.reset();
            box.tokens = box.emu.issueTokens(1);
            box.emu.addUser(User.of(2, "Ivan", "101", null));
            int clients = 8;
            int perClient = 250;
            List<Long> micros = Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perClient; i++) {
                            long t0 = System.nanoTime();
                            String callId = box.register(2, "+7916" + String.format("%07d", client * 1000 + i),
                                    "EXTERNAL_CALL_ID", "pbx-" + client + "." + i);
                            micros.add((System.nanoTime() - t0) / 1000);
                            assertEquals(200, box.finish(callId, 2, 1).status());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            BoxState s = box.emu.state();
            assertEquals(clients * perClient, s.calls().size());
            assertEquals(clients * perClient, s.calls().stream().filter(CallView::finished).count());
            assertEquals(2L * clients * perClient, box.emu.requests().count());
            assertEquals(1000, box.emu.requests().all().size(), "the request log keeps its bound");
            List<Long> sorted = micros.stream().sorted().toList();
            LOG.info(() -> "register round trip over warm mTLS, " + clients + " clients: p50 "
                    + sorted.get(sorted.size() / 2) + " us, p99 " + sorted.get(sorted.size() * 99 / 100) + " us");
        }
    }
}
