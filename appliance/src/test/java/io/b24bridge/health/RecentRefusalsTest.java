package io.b24bridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecentRefusalsTest {

    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void listsTheNewestFirstAndForgetsBeyondWhatItKeeps() {
        RecentRefusals refusals = new RecentRefusals(2, Duration.ofHours(1));
        refusals.add(new RecentRefusals.Refusal(T0, "call-1", "no inner number"));
        refusals.add(new RecentRefusals.Refusal(T0.plusSeconds(1), "call-2", "garbled number"));
        refusals.add(new RecentRefusals.Refusal(T0.plusSeconds(2), "call-3", "the PBX is away"));

        assertEquals(List.of("call-3", "call-2"), refusals.last().stream().map(RecentRefusals.Refusal::what).toList());
        assertEquals("2026-12-03T09:00:02Z call-3: the PBX is away", refusals.lines().getFirst());
    }

    @Test
    void theNewestCountsAsRecentForTheGivenTimeOnly() {
        RecentRefusals refusals = new RecentRefusals(10, Duration.ofHours(1));
        assertTrue(refusals.recent(T0).isEmpty(), "nothing refused yet");

        refusals.add(new RecentRefusals.Refusal(T0, "form 7", "outside working hours"));

        assertEquals("outside working hours", refusals.recent(T0.plus(Duration.ofMinutes(59))).orElseThrow().why());
        assertTrue(refusals.recent(T0.plus(Duration.ofHours(1))).isEmpty(), "an hour later it is history");
    }
}
