package io.b24bridge.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.ManagerEvent;

/** A {@link PbxEventSink} that writes down every call (and the thread it came on) for the tests to check. */
final class RecordingSink implements PbxEventSink {

    /** One call of the sink. */
    sealed interface Call {
        String pbx();

        String thread();
    }

    record Connected(String pbx, String thread, List<CoreShowChannelEvent> channels) implements Call {
    }

    record Event(String pbx, String thread, ManagerEvent event) implements Call {
    }

    record Disconnected(String pbx, String thread, String reason) implements Call {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Runnable perEvent;

    RecordingSink() {
        this(() -> { });
    }

    /** @param perEvent runs after each event is written down, on the intake thread: a slow consumer */
    RecordingSink(Runnable perEvent) {
        this.perEvent = perEvent;
    }

    @Override
    public synchronized void onConnected(String pbxId, ChannelsSnapshot channelsNow) {
        calls.add(new Connected(pbxId, Thread.currentThread().getName(), channelsNow.channels()));
        notifyAll();
    }

    @Override
    public void onEvent(String pbxId, ManagerEvent event) {
        synchronized (this) {
            calls.add(new Event(pbxId, Thread.currentThread().getName(), event));
            notifyAll();
        }
        perEvent.run();
    }

    @Override
    public synchronized void onDisconnected(String pbxId, String reason) {
        calls.add(new Disconnected(pbxId, Thread.currentThread().getName(), reason));
        notifyAll();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized <T extends Call> List<T> all(Class<T> type) {
        return calls.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The events, without the {@code FullyBooted} each login brings: what the replays sent. */
    synchronized List<ManagerEvent> events() {
        return calls.stream().filter(Event.class::isInstance).map(c -> ((Event) c).event())
                .filter(e -> !(e instanceof FullyBootedEvent)).toList();
    }

    synchronized <E extends ManagerEvent> List<E> events(Class<E> type) {
        return calls.stream().filter(Event.class::isInstance).map(c -> ((Event) c).event())
                .filter(type::isInstance).map(type::cast).toList();
    }

    /** The call just before the {@code n}-th (from 0) call of {@code type}; null when there is none. */
    synchronized Call before(Class<? extends Call> type, int n) {
        int seen = 0;
        for (int i = 0; i < calls.size(); i++) {
            if (type.isInstance(calls.get(i)) && seen++ == n) {
                return i == 0 ? null : calls.get(i - 1);
            }
        }
        return null;
    }

    synchronized long count(Class<? extends Call> type) {
        return calls.stream().filter(type::isInstance).count();
    }

    /** Waits until the calls so far satisfy {@code condition}; fails the test after {@code timeout}. */
    synchronized void await(Duration timeout, String what, Predicate<RecordingSink> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what + "; calls so far: "
                        + summary());
            }
            try {
                wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    synchronized String summary() {
        StringBuilder b = new StringBuilder();
        long events = 0;
        for (Call c : calls) {
            if (c instanceof Event) {
                events++;
                continue;
            }
            if (events > 0) {
                b.append(events).append(" events, ");
                events = 0;
            }
            b.append(switch (c) {
                case Connected k -> k.pbx() + " connected(" + k.channels().size() + " channels), ";
                case Disconnected d -> d.pbx() + " disconnected(" + d.reason() + "), ";
                case Event e -> "";
            });
        }
        if (events > 0) {
            b.append(events).append(" events");
        }
        return b.toString();
    }
}
