package io.b24bridge.pbx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.event.ManagerEvent;

import io.b24bridge.calls.CallFact;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.crm.CallEngine;

/**
 * Joins the PBX streams to the call model: every AMI event is decoded into a fact for the engine, each
 * (re)connect's channel list becomes a {@link CallFact.ChannelsNow}, and a tick every {@link #TICK} lets held
 * decisions happen while a PBX is quiet. It also keeps, per PBX, the last moment the link was followed (durably,
 * about once a second): after a gap, what ended unseen is counted up to that moment, never across the gap.
 */
public final class CallSpineSink implements PbxEventSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallSpineSink.class.getName());
    static final Duration TICK = Duration.ofMillis(250);
    /** How often the last-followed moment is written: the bound on what a crash loses of it. */
    static final Duration SEEN_EVERY = Duration.ofSeconds(1);
    /** Master.csv is read back this much further than the reconciliation looks: calls that began before it. */
    static final Duration KEEP_MORE = Duration.ofHours(1);

    /** Where the last-followed moments are kept across restarts. */
    public interface LinkSeen {
        Map<String, Instant> load();

        /**
         * When each PBX was first followed ({@link Instant#MIN}: before this was kept); a PBX never followed is
         * absent.
         */
        Map<String, Instant> firstSeen();

        void seen(String pbx, Instant at);

        /** For tests and the bench: nothing kept. */
        static LinkSeen none() {
            return new LinkSeen() {
                @Override
                public Map<String, Instant> load() {
                    return Map.of();
                }

                @Override
                public Map<String, Instant> firstSeen() {
                    return Map.of();
                }

                @Override
                public void seen(String pbx, Instant at) {
                }
            };
        }
    }

    private final CallEngine engine;
    private final LinkSeen store;
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    private final List<PbxRecordsPoller> records = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> connectListeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong undecodable = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("calls-tick").daemon().factory());

    public CallSpineSink(CallEngine engine, LinkSeen store) {
        this.engine = engine;
        this.store = store;
        lastSeen.putAll(store.load());
        firstSeen.putAll(store.firstSeen());
        ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads this PBX's own call records (Master.csv, or FreePBX's cdr table) from now on: calls of it that end partly
     * unseen are finished from their record (the lifecycle waits for it). Returns the PBX's reconciliation, which
     * compares the records with what reached the CRM.
     */
    public Reconciliation readRecords(ApplianceConfig.Pbx pbx) {
        PbxRecords source = pbx.cdrSql().<PbxRecords>map(sql -> new CdrSqlTable(sql, pbx.recordingsPbxDir()))
                .orElseGet(() -> new CdrCsvFile(pbx.cdrCsv().orElseThrow(), pbx.reconcileLookback().plus(KEEP_MORE),
                        Clock.systemUTC()));
        records.add(new PbxRecordsPoller(pbx.id(), source, engine));
        return new Reconciliation(pbx.id(), source, engine, () -> connected.contains(pbx.id()),
                () -> firstSeen.getOrDefault(pbx.id(), Instant.MAX), pbx.reconcileLookback(), Clock.systemUTC());
    }

    /** Told the PBX's id after each (re)connect, once the model knows the PBX's channels again. */
    public void onConnected(Consumer<String> listener) {
        connectListeners.add(listener);
    }

    @Override
    public void onConnected(String pbxId, ChannelsSnapshot channelsNow) {
        Instant now = Instant.now();
        Instant before = lastSeen.get(pbxId);
        engine.onFact(AmiEventDecoder.channelsNow(pbxId, channelsNow, before, now));
        firstSeen.putIfAbsent(pbxId, now);
        connected.add(pbxId);
        lastSeen.put(pbxId, now);
        for (Consumer<String> l : connectListeners) {
            try {
                l.accept(pbxId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener of PBX " + pbxId + "'s connect failed", e);
            }
        }
    }

    @Override
    public void onEvent(String pbxId, ManagerEvent event) {
        onEvents(pbxId, List.of(event));
    }

    /** The events the call model reads: those the decoder makes a fact of. */
    @Override
    public boolean wants(ManagerEvent event) {
        return AmiEventDecoder.read(event);
    }

    /** The run's facts go to the engine together: one transaction for what queued up meanwhile. */
    @Override
    public void onEvents(String pbxId, List<ManagerEvent> events) {
        List<CallFact> facts = new ArrayList<>(events.size());
        for (ManagerEvent event : events) {
            try {
                // received when it was taken off the queue: a PBX without timestampevents has no better time
                CallFact fact = AmiEventDecoder.decode(pbxId, event, Instant.now());
                if (fact != null) {
                    facts.add(fact);
                }
            } catch (RuntimeException e) {
                undecodable(pbxId, event, e);
            }
        }
        if (!facts.isEmpty()) {
            engine.onFacts(facts);
        }
        lastSeen.put(pbxId, Instant.now());
    }

    private void undecodable(String pbxId, ManagerEvent event, RuntimeException e) {
        long n = undecodable.incrementAndGet();
        if (n == 1 || n % 1000 == 0) { // the first, then every thousandth
            LOG.log(Level.WARNING, "PBX " + pbxId + ": an AMI event could not be read (" + n + " so far), skipped: "
                    + event.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void onDisconnected(String pbxId, String reason) {
        connected.remove(pbxId);
        Instant at = lastSeen.get(pbxId);
        if (at != null) {
            write(pbxId, at);
        }
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            for (String pbx : connected) {
                engine.onFact(new CallFact.Tick(pbx, now));
                lastSeen.put(pbx, now);
                Instant written = lastWritten.get(pbx);
                if (written == null || Duration.between(written, now).compareTo(SEEN_EVERY) >= 0) {
                    write(pbx, now);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "call tick failed", e);
        }
    }

    private void write(String pbx, Instant at) {
        try {
            store.seen(pbx, at);
            lastWritten.put(pbx, at);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the last-followed moment of PBX " + pbx + " was not stored", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        records.forEach(PbxRecordsPoller::close);
    }
}
