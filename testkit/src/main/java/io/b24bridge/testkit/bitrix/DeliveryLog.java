package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** The deliveries an {@link EventSender} made (the last 1000), each with its attempts, for the state and tests. */
final class DeliveryLog {

    private static final int KEEP = 1000;

    /** One delivery being made; its attempts are added as they end. */
    final class Entry {
        final int id;
        final String event;
        final String handler;
        final Integer bindingId;
        final String kind;
        final Instant createdAt;
        final Map<String, Object> maskedForm;
        final List<Delivery.Attempt> attempts = new ArrayList<>();
        String status = "PENDING";

        private Entry(int id, String event, String handler, Integer bindingId, String kind, Map<String, Object> form) {
            this.id = id;
            this.event = event;
            this.handler = handler;
            this.bindingId = bindingId;
            this.kind = kind;
            this.createdAt = clock.instant();
            this.maskedForm = Masking.params(form);
        }

        synchronized void attempt(Delivery.Attempt a) {
            attempts.add(a);
        }

        synchronized Delivery end(String finalStatus) {
            status = finalStatus;
            return view();
        }

        synchronized Delivery view() {
            return new Delivery(id, event, handler, bindingId, kind, createdAt, status, List.copyOf(attempts), maskedForm);
        }
    }

    private final Clock clock;
    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentLinkedDeque<Entry> kept = new ConcurrentLinkedDeque<>();

    DeliveryLog(Clock clock) {
        this.clock = clock;
    }

    Entry start(String event, String handler, Integer bindingId, String kind, Map<String, Object> form) {
        Entry e = new Entry(ids.incrementAndGet(), event, handler, bindingId, kind, form);
        kept.addLast(e);
        while (kept.size() > KEEP) {
            kept.pollFirst();
        }
        return e;
    }

    List<Delivery> all() {
        List<Delivery> out = new ArrayList<>();
        for (Entry e : kept) {
            out.add(e.view());
        }
        return out;
    }

    void clear() {
        kept.clear();
    }
}
