package org.asteriskjava.manager.internal;

import java.util.Map;

import org.asteriskjava.manager.event.ManagerEvent;

/**
 * Test-only bridge into asterisk-java's package-private event builder: unit tests parse recorded AMI text
 * into events with the very code a live connection uses. (Live-path fidelity is also covered by the tests
 * that talk to the PBX simulator and to a real Asterisk.)
 */
public final class RecordedEvents {

    private final EventBuilderImpl builder = new EventBuilderImpl();

    /** @param attributes the event's fields, keys lower-cased, as the wire reader collects them */
    public ManagerEvent build(Object source, Map<String, Object> attributes) {
        return builder.buildEvent(source, attributes);
    }
}
