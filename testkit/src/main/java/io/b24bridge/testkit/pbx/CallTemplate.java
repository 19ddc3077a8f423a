package io.b24bridge.testkit.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transcript made ready to replay many times: every value is cut into literal text and the identities of
 * the recorded call, which each replay fills in afresh and consistently across all its events:
 * <ul>
 *   <li>Uniqueids and Linkedids ({@code 1795491816.2}): each seconds part of the recording becomes a fresh
 *       number of the simulator's, the sequence stays, so {@code 1795491816.2} → {@code <fresh>.2} in every
 *       header (also inside values such as a recording's file name). Distinct seconds parts get distinct fresh
 *       numbers: a recording across a PBX restart (where the sequence starts again at 0) keeps its ids
 *       apart;</li>
 *   <li>channel name suffixes ({@code PJSIP/101-00000001}, {@code Local/101@phones-00000001;2}): a fresh
 *       simulator-wide counter, as Asterisk numbers channels;</li>
 *   <li>bridge ids and other UUIDs: fresh UUIDs;</li>
 *   <li>chosen numbers (a caller, a DID): what the replay options say for call n.</li>
 * </ul>
 * Timing headers ({@code Timestamp}, RTCP's {@code SentNTP}) are not ids and are left alone.
 */
final class CallTemplate {

    private static final Pattern IDS = Pattern.compile(
            "(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                    + "|(?<chan>[A-Za-z][A-Za-z0-9]*/[^\\s,&;|]*?)-(?<suffix>[0-9a-f]{8})(?![0-9a-f])"
                    + "|(?<![\\d.])(?<epoch>\\d{9,10})\\.(?<seq>\\d{1,9})(?!\\d)");

    /** A piece of a value. */
    private sealed interface Part {
    }

    private record Text(String text) implements Part {
    }

    private record Uniqueid(int epoch, String seq) implements Part {
    }

    private record Suffix(int index) implements Part {
    }

    private record Uuid(int index) implements Part {
    }

    private record Number(int index) implements Part {
    }

    private record HeaderTemplate(String name, List<Part> parts, boolean timestamp) {
    }

    private final List<List<HeaderTemplate>> events = new ArrayList<>();
    private final Map<String, Integer> epochs = new LinkedHashMap<>();
    private final Map<String, Integer> suffixes = new LinkedHashMap<>();
    private final Map<String, Integer> uuids = new LinkedHashMap<>();
    private final List<IntFunction<String>> numberMakers = new ArrayList<>();
    private final boolean stamp;
    private final String name;
    /** Each event's recorded time after the first event's, in nanoseconds; null when the recording has none. */
    private final long[] recordedOffsets;
    /** The recording has Cdr events (else each replay makes its dials' rows: {@link DialCdrs}). */
    private final boolean recordsCdrs;

    /**
     * @param numbers originals (a caller's number, a DID) and what replaces them in call n
     * @param stamp   give every event a {@code Timestamp} (the send time), as {@code timestampevents = yes}
     */
    CallTemplate(Transcript transcript, Map<String, IntFunction<String>> numbers, boolean stamp) {
        this.stamp = stamp;
        this.name = transcript.name();
        this.recordedOffsets = offsets(transcript);
        this.recordsCdrs = transcript.events().stream().anyMatch(e -> "Cdr".equals(e.event()));
        List<String> originals = new ArrayList<>(numbers.keySet());
        originals.forEach(o -> numberMakers.add(numbers.get(o)));
        Pattern numberPattern = originals.isEmpty() ? null : Pattern.compile("(?<!\\d)("
                + String.join("|", originals.stream().map(Pattern::quote).toList()) + ")(?!\\d)");
        for (AmiMessage event : transcript.events()) {
            List<HeaderTemplate> headers = new ArrayList<>();
            boolean hasTimestamp = false;
            for (AmiMessage.Header h : event.headers()) {
                String lower = h.name().toLowerCase(Locale.ROOT);
                boolean timestamp = lower.equals("timestamp");
                hasTimestamp |= timestamp;
                List<Part> parts = timestamp || lower.contains("ntp") ? List.of(new Text(h.value()))
                        : parts(h.value(), numberPattern, originals);
                headers.add(new HeaderTemplate(h.name(), parts, timestamp));
            }
            if (stamp && !hasTimestamp) { // where Asterisk puts it: after Privilege
                int at = headers.size() > 1 && headers.get(1).name().equalsIgnoreCase("Privilege") ? 2 : 1;
                headers.add(Math.min(at, headers.size()), new HeaderTemplate("Timestamp", List.of(), true));
            }
            events.add(headers);
        }
    }

    private static long[] offsets(Transcript transcript) {
        long[] o = new long[transcript.size()];
        double first = Double.NaN;
        for (int i = 0; i < o.length; i++) {
            String ts = transcript.events().get(i).get("Timestamp");
            if (ts == null) {
                return null;
            }
            double t = Double.parseDouble(ts);
            if (Double.isNaN(first)) {
                first = t;
            }
            o[i] = Math.max(0, Math.round((t - first) * 1e9));
        }
        return o;
    }

    String name() {
        return name;
    }

    /** When event {@code i} came after the call's first event in the recording (ns); -1 when unknown. */
    long recordedOffset(int i) {
        return recordedOffsets == null ? -1 : recordedOffsets[i];
    }

    private List<Part> parts(String value, Pattern numberPattern, List<String> originals) {
        List<Part> parts = new ArrayList<>();
        Matcher m = IDS.matcher(value);
        int last = 0;
        while (m.find()) {
            text(value.substring(last, m.start()), parts, numberPattern, originals);
            if (m.group("uuid") != null) {
                parts.add(new Uuid(uuids.computeIfAbsent(m.group("uuid"), k -> uuids.size())));
            } else if (m.group("suffix") != null) {
                text(m.group("chan") + "-", parts, numberPattern, originals);
                parts.add(new Suffix(suffixes.computeIfAbsent(m.group("suffix"), k -> suffixes.size())));
            } else {
                parts.add(new Uniqueid(epochs.computeIfAbsent(m.group("epoch"), k -> epochs.size()), m.group("seq")));
            }
            last = m.end();
        }
        text(value.substring(last), parts, numberPattern, originals);
        return List.copyOf(parts);
    }

    private static void text(String s, List<Part> parts, Pattern numberPattern, List<String> originals) {
        if (s.isEmpty()) {
            return;
        }
        if (numberPattern == null) {
            parts.add(new Text(s));
            return;
        }
        Matcher m = numberPattern.matcher(s);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Text(s.substring(last, m.start())));
            }
            parts.add(new Number(originals.indexOf(m.group(1))));
            last = m.end();
        }
        if (last < s.length()) {
            parts.add(new Text(s.substring(last)));
        }
    }

    int size() {
        return events.size();
    }

    /** The identities of one replayed call. */
    final class Call {
        private final long[] epoch;
        private final String[] suffix;
        private final String[] uuid;
        private final String[] number;
        private final CallTemplate template = CallTemplate.this;
        /** The call's Cdr events in the making, when its recording has none; else null. */
        private final DialCdrs synthesizedCdrs = recordsCdrs ? null : new DialCdrs();

        /**
         * @param nextEpoch  hands out the seconds parts of Uniqueids, simulator-wide: never twice
         * @param nextSuffix hands out channel numbers, simulator-wide
         * @param n          the call's index in its replay (for the number makers)
         */
        Call(java.util.function.LongSupplier nextEpoch, java.util.function.LongSupplier nextSuffix, int n) {
            this.epoch = new long[epochs.size()];
            for (int i = 0; i < epoch.length; i++) {
                epoch[i] = nextEpoch.getAsLong();
            }
            this.suffix = new String[suffixes.size()];
            for (int i = 0; i < suffix.length; i++) {
                suffix[i] = String.format("%08x", nextSuffix.getAsLong());
            }
            this.uuid = new String[uuids.size()];
            for (int i = 0; i < uuid.length; i++) {
                uuid[i] = UUID.randomUUID().toString();
            }
            this.number = new String[numberMakers.size()];
            for (int i = 0; i < number.length; i++) {
                number[i] = numberMakers.get(i).apply(n);
            }
        }

        CallTemplate template() {
            return template;
        }

        /** Every event of this call as it is sent (the Cdr events synthesized for it follow them). */
        void sent(AmiMessage event, java.time.Instant at) {
            if (synthesizedCdrs != null) {
                synthesizedCdrs.observe(event, at);
            }
        }

        /** The Cdr events made for this call, once all its events were sent; empty when its recording has them. */
        List<AmiMessage> synthesizedCdrs() {
            return synthesizedCdrs == null ? List.of() : synthesizedCdrs.cdrs();
        }

        /** Event {@code i} of this call; {@code Timestamp}s say {@code nowMicros}. */
        AmiMessage event(int i, long nowMicros) {
            List<HeaderTemplate> template = events.get(i);
            List<AmiMessage.Header> headers = new ArrayList<>(template.size());
            StringBuilder b = new StringBuilder(64);
            for (HeaderTemplate h : template) {
                if (h.timestamp()) {
                    headers.add(new AmiMessage.Header(h.name(), (nowMicros / 1_000_000) + "."
                            + String.format("%06d", nowMicros % 1_000_000)));
                    continue;
                }
                b.setLength(0);
                for (Part p : h.parts()) {
                    switch (p) {
                        case Text t -> b.append(t.text());
                        case Uniqueid u -> b.append(epoch[u.epoch()]).append('.').append(u.seq());
                        case Suffix s -> b.append(suffix[s.index()]);
                        case Uuid u -> b.append(uuid[u.index()]);
                        case Number n -> b.append(number[n.index()]);
                    }
                }
                headers.add(new AmiMessage.Header(h.name(), b.toString()));
            }
            return new AmiMessage(headers);
        }
    }

    boolean stamped() {
        return stamp;
    }
}
