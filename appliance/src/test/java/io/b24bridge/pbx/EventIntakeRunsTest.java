package io.b24bridge.pbx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewExtenEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intake hands what piled up while the sink was busy over as one run, in order: a sink that keeps up gets
 * events one by one, a slow one pays its per-run cost once for many, and none is lost or reordered.
 */
class EventIntakeRunsTest {

    /** Blocks in its first call until released; writes down every run. */
    private static class SlowFirstSink implements PbxEventSink {
        final CountDownLatch inFirst = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<ManagerEvent>> runs = new CopyOnWriteArrayList<>();
        final CountDownLatch connected = new CountDownLatch(1);

        @Override
        public void onConnected(String pbxId, ChannelsSnapshot channelsNow) {
            connected.countDown();
        }

        @Override
        public void onEvent(String pbxId, ManagerEvent event) {
            throw new AssertionError("the intake hands runs over");
        }

        @Override
        public void onEvents(String pbxId, List<ManagerEvent> events) {
            runs.add(events);
            if (runs.size() == 1) {
                inFirst.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // busy: a transaction on a slow disk
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onDisconnected(String pbxId, String reason) {
        }

        int delivered() {
            return runs.stream().mapToInt(List::size).sum();
        }
    }

    private static ManagerEvent event(int n) {
        NewExtenEvent e = new NewExtenEvent("test");
        e.setUniqueId("1." + n);
        return e;
    }

    @Test
    void whatPiledUpWhileTheSinkWasBusyComesAsOneRunInOrder() throws Exception {
        SlowFirstSink sink = new SlowFirstSink();
        EventIntake intake = new EventIntake("pbx1", sink, 10_000);
        intake.start();
        try {
            intake.put(new EventIntake.Snapshot(1, new ChannelsSnapshot(List.of(), java.util.Map.of())));
            assertTrue(sink.connected.await(30, TimeUnit.SECONDS));
            intake.offerEvent(1, event(0), () -> true);
            assertTrue(sink.inFirst.await(30, TimeUnit.SECONDS), "the first event alone: the sink kept up so far");
            for (int n = 1; n <= 1500; n++) {
                intake.offerEvent(1, event(n), () -> true);
            }
            sink.release.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.delivered() < 1501 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(1501, sink.delivered(), "every event, once");
            assertEquals(1, sink.runs.getFirst().size());
            assertEquals(1500, sink.runs.get(1).size(), "the 1500 that queued meanwhile: one run");
            List<String> order = new ArrayList<>();
            sink.runs.forEach(r -> r.forEach(e -> order.add(((NewExtenEvent) e).getUniqueId())));
            for (int n = 0; n <= 1500; n++) {
                assertEquals("1." + n, order.get(n), "in the order the PBX sent them");
            }
            assertEquals(1501.0 / 2, (double) intake.delivered() / intake.runs());
        } finally {
            sink.release.countDown();
            intake.close();
        }
    }

    @Test
    void eventsTheSinkDoesNotReadAreNotHeldWhileTheSnapshotIsTaken() throws Exception {
        // the sink reads every other event (as the call model reads a Newchannel, not a Newexten)
        SlowFirstSink sink = new SlowFirstSink() {
            @Override
            public boolean wants(ManagerEvent event) {
                return Integer.parseInt(((NewExtenEvent) event).getUniqueId().substring(2)) % 2 == 0;
            }
        };
        sink.release.countDown();
        EventIntake intake = new EventIntake("pbx1", sink, 600);
        intake.start();
        try {
            // before the link's snapshot: what the sink reads is held, in a queue with room for 600
            for (int n = 0; n < 1000; n++) {
                intake.offerEvent(1, event(n), () -> true);
            }
            intake.put(new EventIntake.Snapshot(1, new ChannelsSnapshot(List.of(), java.util.Map.of())));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.delivered() < 500 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            List<String> order = new ArrayList<>();
            sink.runs.forEach(r -> r.forEach(e -> order.add(((NewExtenEvent) e).getUniqueId())));
            assertEquals(500, order.size(), "what the sink reads, once");
            assertEquals(500, intake.unread(), "the rest passed over");
            for (int i = 0; i < 500; i++) {
                assertEquals("1." + 2 * i, order.get(i), "in the order the PBX sent them");
            }
        } finally {
            intake.close();
        }
    }
}
