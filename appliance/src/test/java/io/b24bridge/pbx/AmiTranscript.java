package io.b24bridge.pbx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.internal.RecordedEvents;

import io.b24bridge.calls.CallFact;

/**
 * A recorded AMI session (the text Asterisk sent), read back into asterisk-java's events exactly as a live
 * connection parses them, then into {@link CallFact}s through the product's decoder. Lines starting with
 * {@code #} are notes. Events without a {@code Timestamp} get one every {@code step}, in order.
 */
public final class AmiTranscript {

    private final List<Map<String, Object>> events;

    private AmiTranscript(List<Map<String, Object>> events) {
        this.events = events;
    }

    public static AmiTranscript load(String resource) {
        try (InputStream in = AmiTranscript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AmiTranscript parse(String text) {
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Object> current = new LinkedHashMap<>();
        for (String raw : text.replace("\r\n", "\n").split("\n", -1)) {
            String line = raw.stripTrailing();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                if (current.containsKey("event")) {
                    events.add(current);
                }
                current = new LinkedHashMap<>();
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon > 0) {
                current.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 2));
            } else if (line.endsWith(":")) {
                current.put(line.substring(0, line.length() - 1).toLowerCase(Locale.ROOT), "");
            }
        }
        if (current.containsKey("event")) {
            events.add(current);
        }
        return new AmiTranscript(events);
    }

    public int size() {
        return events.size();
    }

    /** The events as asterisk-java builds them from the wire (unknown event types are skipped). */
    public List<ManagerEvent> managerEvents() {
        RecordedEvents builder = new RecordedEvents();
        List<ManagerEvent> out = new ArrayList<>();
        for (Map<String, Object> e : events) {
            ManagerEvent built = builder.build(this, new LinkedHashMap<>(e));
            if (built != null) {
                out.add(built);
            }
        }
        return out;
    }

    /** The facts of the transcript for PBX {@code pbx}, timed from {@code start} every {@code step}. */
    public List<CallFact> facts(String pbx, Instant start, Duration step) {
        List<CallFact> facts = new ArrayList<>();
        Instant t = start;
        for (ManagerEvent e : managerEvents()) {
            CallFact f = AmiEventDecoder.decode(pbx, e, t);
            if (f != null) {
                facts.add(f);
            }
            t = t.plus(step);
        }
        return facts;
    }
}
