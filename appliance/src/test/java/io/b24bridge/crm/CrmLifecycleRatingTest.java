package io.b24bridge.crm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.json.Json;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static io.b24bridge.calls.CallEvent.Outcome.ANSWERED;
import static io.b24bridge.calls.CallEvent.Outcome.NO_ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing and the caller's rating in what Bitrix24 is told: the finish waits (a bounded time) for the rating
 * so it carries the VOTE; a rating after the finish becomes a timeline comment; ratings are kept per operator;
 * the responsible routing found owns the call while nobody talks.
 */
class CrmLifecycleRatingTest {

    private static final CallKey CALL = new CallKey("pbx1", "1.0");
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());

    private final CrmLifecycle lifecycle = new CrmLifecycle();
    private final Settings settings = settings("""
            {"routes": [{"did": "4952000001", "name": "Sales", "defaultResponsibleUserId": 4,
                         "routeToResponsible": true, "offerRating": true}]}""", "{\"ratingWaitSeconds\": 10}");
    private final List<CrmLifecycle.Rating> ratings = new ArrayList<>();

    private static Settings settings(String routes, String routing) {
        Map<Section, SectionValue> v = new EnumMap<>(Section.class);
        v.put(Section.INBOUND_ROUTES, JSON.readSection(Section.INBOUND_ROUTES, routes.getBytes(StandardCharsets.UTF_8)));
        v.put(Section.ROUTING, JSON.readSection(Section.ROUTING, routing.getBytes(StandardCharsets.UTF_8)));
        v.put(Section.CALL_DATA, JSON.readSection(Section.CALL_DATA, "{\"addToChat\": false}".getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, v);
    }

    private List<CrmCommand> feed(CallEvent... events) {
        return commands(lifecycle.apply(List.of(events), settings));
    }

    private List<CrmCommand> commands(List<CrmLifecycle.Change> changes) {
        List<CrmCommand> out = new ArrayList<>();
        for (CrmLifecycle.Change ch : changes) {
            out.addAll(ch.commands());
            ratings.addAll(ch.ratings());
        }
        return out;
    }

    private static CallEvent.Ended talk(int seconds, Instant at) {
        return new CallEvent.Ended(CALL, at, ANSWERED, seconds, "101", "101", "/rec/1.0.wav", 2);
    }

    /** A known client's call to 101, answered, 30 s of talk; the operator has just hung up. */
    private void talkedWith101() {
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, "79162000001", "4952000001", null, "trunk"),
                new CallEvent.Routed(CALL, T0, 2),
                new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.Answered(CALL, T0.plusSeconds(2), "101", "answer"));
    }

    @Test
    void theFinishWaitsForTheRatingAndCarriesIt() {
        talkedWith101();
        assertEquals(List.of(), feed(new CallEvent.RatingStarted(CALL, T0.plusSeconds(32), talk(30, T0.plusSeconds(32)))),
                "nothing yet: the finish waits for the rating");
        assertEquals(List.of(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 30, "200", 4, false)),
                feed(new CallEvent.Rated(CALL, T0.plusSeconds(36), 4)), "the rating releases it, with VOTE 4");
        assertEquals(List.of(new CrmCommand.AttachRecording(CALL, "/rec/1.0.wav")),
                feed(new CallEvent.Ended(CALL, T0.plusSeconds(38), ANSWERED, 30, "101", "101", "/rec/1.0.wav", 2)),
                "the recording once the caller left (the file closes then); no second finish");
        assertEquals(List.of(new CrmLifecycle.Rating(CALL, "101", 4, T0.plusSeconds(36), true)), ratings);
    }

    @Test
    void aRatingAfterTheWaitBecomesATimelineComment() {
        talkedWith101();
        feed(new CallEvent.RatingStarted(CALL, T0.plusSeconds(32), talk(30, T0.plusSeconds(32))));
        assertEquals(List.of(), commands(lifecycle.due("pbx1", T0.plusSeconds(41), settings)), "9 s: still waiting");
        assertEquals(List.of(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 30, "200", null, false)),
                commands(lifecycle.due("pbx1", T0.plusSeconds(42), settings)), "10 s: the finish goes without it");
        assertEquals(List.of(new CrmCommand.RatingComment(CALL, 5, CrmCommand.UserRef.extension("101"),
                T0.plusSeconds(45))), feed(new CallEvent.Rated(CALL, T0.plusSeconds(45), 5)));
        assertEquals(List.of(new CrmLifecycle.Rating(CALL, "101", 5, T0.plusSeconds(45), false)), ratings);
        assertEquals(List.of(), commands(lifecycle.due("pbx1", T0.plusSeconds(60), settings)), "released once");
    }

    @Test
    void aCallerWhoLeavesWithoutRatingGetsTheFinishAtOnceWithTheTalksFigures() {
        talkedWith101();
        feed(new CallEvent.RatingStarted(CALL, T0.plusSeconds(32), talk(30, T0.plusSeconds(32))));
        List<CrmCommand> end = feed(new CallEvent.Ended(CALL, T0.plusSeconds(34), ANSWERED, 30, "101", "101",
                "/rec/1.0.wav", 2));
        assertEquals(List.of(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 30, "200", null, false),
                new CrmCommand.AttachRecording(CALL, "/rec/1.0.wav")), end);
        assertEquals(List.of(), ratings);
    }

    @Test
    void aHeldFinishSurvivesARestart() {
        talkedWith101();
        List<CrmLifecycle.Change> held = lifecycle.apply(List.of(new CallEvent.RatingStarted(CALL, T0.plusSeconds(32),
                talk(30, T0.plusSeconds(32)))), settings);
        CrmLifecycle restarted = new CrmLifecycle();
        restarted.restore(List.of(held.getFirst().state()));
        List<CrmLifecycle.Change> due = restarted.due("pbx1", T0.plusSeconds(43), settings);
        assertEquals(1, due.size());
        assertTrue(due.getFirst().commands().getFirst() instanceof CrmCommand.Finish f && f.talkSeconds() == 30);
    }

    @Test
    void aMissedRoutedCallBelongsToTheClientsResponsibleNotTheRoutesDefault() {
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, "79162000001", "4952000001", null, "trunk"),
                new CallEvent.Routed(CALL, T0, 2),
                new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.RingStopped(CALL, T0.plusSeconds(20), "101", "NOANSWER"));
        List<CrmCommand> end = feed(new CallEvent.Ended(CALL, T0.plusSeconds(25), NO_ANSWER, 0, null, "101", null, 25));
        assertEquals(List.of(new CrmCommand.Finish(CALL, CrmCommand.UserRef.user(2), 0, "304", null, false)), end);
    }
}
