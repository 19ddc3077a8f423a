package io.b24bridge.pbx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

/**
 * The PBX links' meters on {@code /metrics} (Prometheus names in brackets), each tagged {@code pbx=<id>}.
 * They read the connections' own counters when scraped; nothing is counted twice.
 * <ul>
 *   <li>{@code pbx.events.received} ({@code pbx_events_received_total}) — AMI events received</li>
 *   <li>{@code pbx.reconnects} ({@code pbx_reconnects_total}) — links re-established after a loss</li>
 *   <li>{@code pbx.login.failures} ({@code pbx_login_failures_total}) — refused logins</li>
 *   <li>{@code pbx.backpressure.waits} ({@code pbx_backpressure_waits_total}) — times the AMI reader waited
 *       for the event consumer</li>
 *   <li>{@code pbx.resyncs} ({@code pbx_resyncs_total}) — links rebuilt because events were lost</li>
 *   <li>{@code pbx.intake.queue.depth} — events waiting for the consumer</li>
 *   <li>{@code pbx.connected} — 1 while the link is up</li>
 * </ul>
 */
final class PbxMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    PbxMetrics(MeterRegistry registry, List<AmiConnection> connections) {
        this.registry = registry;
        for (AmiConnection c : connections) {
            Tag tag = Tag.create("pbx", c.id());
            counter("pbx.events.received", "AMI events received", tag, c, x -> x.status().eventsReceived());
            counter("pbx.reconnects", "AMI links re-established after a loss", tag, c, x -> x.status().reconnects());
            counter("pbx.login.failures", "AMI logins the PBX refused", tag, c, x -> x.status().loginFailures());
            counter("pbx.backpressure.waits", "times the AMI reader waited for the event consumer", tag, c,
                    x -> x.status().backPressureWaits());
            counter("pbx.resyncs", "AMI links rebuilt because events were lost", tag, c, x -> x.status().resyncs());
            meters.add(registry.getOrCreate(Gauge.builder("pbx.intake.queue.depth", c, x -> x.status().queueDepth())
                    .description("AMI events waiting for the event consumer").addTag(tag)));
            meters.add(registry.getOrCreate(Gauge.builder("pbx.connected", c, x -> x.status().connected() ? 1.0 : 0.0)
                    .description("1 while the AMI link is up").addTag(tag)));
        }
    }

    private void counter(String name, String description, Tag tag, AmiConnection c,
                         Function<AmiConnection, Long> fn) {
        meters.add(registry.getOrCreate(FunctionalCounter.builder(name, c, fn).description(description).addTag(tag)));
    }

    /** Takes the meters off the registry (a stopped link must not be scraped, a restarted one re-registers). */
    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
