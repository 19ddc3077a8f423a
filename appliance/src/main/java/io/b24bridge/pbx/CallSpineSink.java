package io.b24bridge.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ManagerEvent;

import io.b24bridge.calls.CallEngine;
import io.b24bridge.calls.CallFact;

/**
 * Joins the PBX streams to the call model: every AMI event is decoded into a fact for the engine, each
 * (re)connect's channel list becomes a {@link CallFact.ChannelsNow}, and a tick every
 * {@link #TICK} lets held decisions happen while a PBX is quiet.
 */
public final class CallSpineSink implements PbxEventSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CallSpineSink.class.getName());
    static final Duration TICK = Duration.ofMillis(250);

    private final CallEngine engine;
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("calls-tick").daemon().factory());

    public CallSpineSink(CallEngine engine) {
        this.engine = engine;
        ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onConnected(String pbxId, List<CoreShowChannelEvent> channelsNow) {
        connected.add(pbxId);
        engine.onFact(AmiEventDecoder.channelsNow(pbxId, channelsNow, Instant.now()));
    }

    @Override
    public void onEvent(String pbxId, ManagerEvent event) {
        CallFact fact = AmiEventDecoder.decode(pbxId, event, Instant.now());
        if (fact != null) {
            engine.onFact(fact);
        }
    }

    @Override
    public void onDisconnected(String pbxId, String reason) {
        connected.remove(pbxId);
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            for (String pbx : connected) {
                engine.onFact(new CallFact.Tick(pbx, now));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "call tick failed", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
