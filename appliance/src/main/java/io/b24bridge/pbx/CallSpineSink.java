package io.b24bridge.pbx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.event.ManagerEvent;

import io.b24bridge.calls.CallFact;
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

    /** Where the last-followed moments are kept across restarts. */
    public interface LinkSeen {
        Map<String, Instant> load();

        void seen(String pbx, Instant at);

        /** For tests and the bench: nothing kept. */
        static LinkSeen none() {
            return new LinkSeen() {
                @Override
                public Map<String, Instant> load() {
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
    private final List<PbxRecordsPoller> records = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("calls-tick").daemon().factory());

    public CallSpineSink(CallEngine engine, LinkSeen store) {
        this.engine = engine;
        this.store = store;
        lastSeen.putAll(store.load());
        ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads this PBX's own call records (Master.csv) from now on: calls of it that end partly unseen are finished
     * from their record (the lifecycle waits for it).
     */
    public void readRecords(String pbxId, Path masterCsv) {
        records.add(new PbxRecordsPoller(pbxId, masterCsv, engine));
    }

    @Override
    public void onConnected(String pbxId, ChannelsSnapshot channelsNow) {
        Instant now = Instant.now();
        Instant before = lastSeen.get(pbxId);
        connected.add(pbxId);
        engine.onFact(AmiEventDecoder.channelsNow(pbxId, channelsNow, before, now));
        lastSeen.put(pbxId, now);
    }

    @Override
    public void onEvent(String pbxId, ManagerEvent event) {
        Instant now = Instant.now();
        CallFact fact = AmiEventDecoder.decode(pbxId, event, now);
        if (fact != null) {
            engine.onFact(fact);
        }
        lastSeen.put(pbxId, now);
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
