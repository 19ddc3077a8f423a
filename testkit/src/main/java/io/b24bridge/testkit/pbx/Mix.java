package io.b24bridge.testkit.pbx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which recorded calls a replay places, and how often each: call n replays the transcript at position n of a
 * fixed shuffled cycle in which each transcript appears {@code weight} times, so any run of calls has the
 * mix's proportions and a rerun places the same calls.
 *
 * @param entries the transcripts and their weights
 */
public record Mix(List<Entry> entries) {

    /** One kind of call in the mix. */
    public record Entry(Transcript transcript, int weight) {
        public Entry {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1");
            }
        }
    }

    public Mix {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a mix needs at least one transcript");
        }
        entries = List.copyOf(entries);
    }

    public static Mix of(Transcript transcript) {
        return new Mix(List.of(new Entry(transcript, 1)));
    }

    /** This mix and {@code transcript}, {@code weight} times in each cycle. */
    public Mix and(Transcript transcript, int weight) {
        List<Entry> e = new ArrayList<>(entries);
        e.add(new Entry(transcript, weight));
        return new Mix(e);
    }

    /**
     * A call centre's day as the bundled recordings of a real Asterisk 22 have it, in 100 calls: inbound answered
     * (direct 15, ring group 20, queue 15), missed (the caller gives up while one phone rings 6, a ring group 5,
     * busy 2), transfers (blind 4, attended 3), a pickup 2, outbound (answered 15, not answered 5) and calls
     * placed with Originate as click-to-call does (Local channels, 8). Every one of them is a call the CRM is
     * told of; the client's number is {@code 79161112233} in each (replace it per call).
     */
    public static Mix callCentre() {
        return new Mix(List.of(
                entry("inbound-answered-by-101", 15),
                entry("inbound-ringgroup-101-answers-102-cancelled", 20),
                entry("inbound-queue-support-answered-by-102", 15),
                entry("inbound-caller-hangs-up-while-101-rings", 6),
                entry("inbound-missed-ringgroup-caller-hangs-up", 5),
                entry("inbound-busy-102", 2),
                entry("inbound-blind-transfer-101-to-102", 4),
                entry("inbound-attended-transfer-101-to-102", 3),
                entry("inbound-pickup-by-103-of-102", 2),
                entry("outbound-101-answered", 15),
                entry("outbound-101-not-answered", 5),
                entry("inbound-local-channels-originate", 8)));
    }

    /** The client's number in every bundled recording. */
    public static final String RECORDED_CLIENT = "79161112233";

    private static Entry entry(String name, int weight) {
        return new Entry(Transcript.find(name), weight);
    }

    /** The cycle of transcript indices calls follow (seeded: the same on every run). */
    int[] cycle() {
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            for (int w = 0; w < entries.get(i).weight(); w++) {
                c.add(i);
            }
        }
        Collections.shuffle(c, new Random(17));
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Events of the longest transcript. */
    public int maxEventsPerCall() {
        return entries.stream().mapToInt(e -> e.transcript().size()).max().orElse(0);
    }

    /** The average number of events a call of this mix sends. */
    public double eventsPerCall() {
        int weights = entries.stream().mapToInt(Entry::weight).sum();
        return entries.stream().mapToDouble(e -> (double) e.transcript().size() * e.weight()).sum() / weights;
    }
}
