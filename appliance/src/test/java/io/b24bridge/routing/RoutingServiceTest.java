package io.b24bridge.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.b24bridge.json.Json;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing decisions: whom a caller's call rings, in what order, and how the decision keeps its deadline
 * whatever the CRM does — answered from the cache without a question, from an older answer or the route's
 * defaults when the CRM is slow or down, and without waiting at all while it is known to be away. Time is the
 * fake CRM's: a decision that waits for a held answer moves it by the wait, nothing sleeps.
 */
class RoutingServiceTest {

    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());
    private static final String ROUTES = """
            {"routes": [
              {"did": "4952000001", "name": "Sales", "defaultResponsibleUserId": 4, "routeToResponsible": true,
               "forwardToMobile": true, "offerRating": true, "fallback": {"type": "QUEUE", "value": "support"}},
              {"did": "4952000002", "name": "Support", "defaultResponsibleUserId": 4, "routeToResponsible": true,
               "unknownCallers": "FALLBACK", "fallback": {"type": "EXTENSIONS", "value": "101, 102"}},
              {"did": "4952000003", "name": "Office", "defaultResponsibleUserId": 4,
               "fallback": {"type": "RING_GROUP", "value": "200"}},
              {"did": "4951000101", "name": "Direct", "defaultResponsibleUserId": 2}
            ]}""";

    private final FakeCrm crm = new FakeCrm();
    private Settings settings = settings("{\"mobileTrunk\": \"trunk\", \"deadlineMs\": 300}");
    private final RoutingService routing = new RoutingService(() -> settings, crm, crm.time);

    private static Settings settings(String routing) {
        Map<Section, SectionValue> v = new EnumMap<>(Section.class);
        v.put(Section.INBOUND_ROUTES, JSON.readSection(Section.INBOUND_ROUTES, ROUTES.getBytes(StandardCharsets.UTF_8)));
        v.put(Section.ROUTING, JSON.readSection(Section.ROUTING, routing.getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, v);
    }

    @AfterEach
    void close() {
        crm.answerNow();
        routing.close();
    }

    private static List<String> dials(RouteDecision d) {
        return d.targets().stream().map(DialTarget::dial).toList();
    }

    @Test
    void aKnownCallerRingsTheResponsibleThenTheirMobileThenTheQueue() {
        RouteDecision d = routing.decide("4952000001", "79162000001");
        assertEquals(List.of("PJSIP/101", "PJSIP/79161110101@trunk", "Local/support@b24bridge-queue/n"), dials(d));
        assertEquals(List.of(20, 25, 60), d.targets().stream().map(DialTarget::ringSeconds).toList());
        assertEquals("101", d.targets().get(1).mobileOf(), "the mobile leg is 101's");
        assertEquals(2, d.responsible());
        assertEquals("CONTACT:1", d.crmEntity());
        assertTrue(d.offerRating());
        assertEquals(RouteDecision.Source.CRM, d.source());
    }

    @Test
    void theCacheAnswersWithoutAskingTheCrm() {
        routing.decide("4952000001", "79162000001");
        int asked = crm.questions.get();
        long t0 = crm.time.nanos();
        RouteDecision d = routing.decide("4952000001", "+7 916 200-00-01");
        assertEquals(asked, crm.questions.get(), "no question to the CRM");
        assertEquals(RouteDecision.Source.CACHE, d.source());
        assertEquals("PJSIP/101", d.targets().getFirst().dial());
        assertEquals(Duration.ZERO, crm.time.since(t0), "a cache hit waits for nothing");
    }

    @Test
    void aSlowCrmCostsTheDeadlineAndItsLateAnswerServesTheNextCall() {
        crm.beSlow();
        long t0 = crm.time.nanos();
        RouteDecision first = routing.decide("4952000002", "79162000001");
        assertEquals(Duration.ofMillis(250), crm.time.since(t0), "waited for the CRM until the 300 ms deadline, less"
                + " the margin for the answer itself, and not a moment longer");
        assertEquals(RouteDecision.Source.ROUTE_DEFAULT, first.source());
        assertEquals(List.of("PJSIP/101&PJSIP/102"), dials(first), "unknown for now: the route's fallback");

        crm.answerNow(); // the question went on in the background: its answer fills the cache
        await().atMost(Duration.ofSeconds(30))
                .until(() -> routing.decide("4952000002", "79162000001").source() == RouteDecision.Source.CACHE);
        assertEquals(1, crm.questions.get(), "one question, its late answer served the next call");
        assertEquals("PJSIP/101", routing.decide("4952000002", "79162000001").targets().getFirst().dial());
    }

    @Test
    void aCrmThatIsDownGivesTheOlderAnswerThenStopsBeingWaitedFor() {
        routing.decide("4952000001", "79162000001");
        crm.time.advance(Duration.ofMinutes(10)); // older than cacheTtlSeconds (300)
        crm.down = true;
        RouteDecision stale = routing.decide("4952000001", "79162000001");
        assertEquals(RouteDecision.Source.STALE_CACHE, stale.source(), "the responsible of ten minutes ago");
        assertEquals("PJSIP/101", stale.targets().getFirst().dial());
        assertTrue(routing.crmAway());

        crm.beSlow(); // and now it hangs as well: nobody waits for it while it is away
        long t0 = crm.time.nanos();
        RouteDecision unknown = routing.decide("4952000001", "79032000002");
        assertEquals(Duration.ZERO, crm.time.since(t0), "answered without waiting");
        assertEquals(RouteDecision.Source.ROUTE_DEFAULT, unknown.source());
        assertEquals("Local/support@b24bridge-queue/n", unknown.targets().getLast().dial());
    }

    @Test
    void anAnswerIsKeptADayToStandInForTheCrmAndNoLonger() {
        routing.decide("4952000001", "79162000001");
        crm.down = true;
        crm.time.advance(AnswerCache.KEEP.minusMinutes(1));
        assertEquals(RouteDecision.Source.STALE_CACHE, routing.decide("4952000001", "79162000001").source());
        crm.time.advance(RoutingService.AWAY_PAUSE.plusMinutes(2)); // past the away pause, and past the day
        RouteDecision forgotten = routing.decide("4952000001", "79162000001");
        assertEquals(RouteDecision.Source.ROUTE_DEFAULT, forgotten.source(), "a day-old responsible is not given");
    }

    @Test
    void anUnknownCallerGoesToTheDefaultResponsibleOrStraightToTheFallback() {
        RouteDecision sales = routing.decide("4952000001", "79990001122");
        assertEquals(List.of("PJSIP/103", "PJSIP/79161110103@trunk", "Local/support@b24bridge-queue/n"), dials(sales),
                "Sales: the default responsible (user 4 on 103) first");
        assertEquals(null, sales.responsible(), "no CRM responsible to tell");
        RouteDecision support = routing.decide("4952000002", "79990001122");
        assertEquals(List.of("PJSIP/101&PJSIP/102"), dials(support), "Support: straight to the fallback");
    }

    @Test
    void aClosedWorkdaySkipsTheDeskWhenTheSettingsSaySo() {
        settings = settings("{\"mobileTrunk\": \"trunk\", \"skipClosedWorkday\": true, \"mobileDial\": \"PJSIP/{national}@{trunk}\"}");
        RouteDecision d = routing.decide("4952000001", "79262000003"); // Pavel, whose responsible Oleg went home
        assertEquals(List.of("PJSIP/89161110103@trunk", "Local/support@b24bridge-queue/n"), dials(d));
    }

    @Test
    void noMobileWithoutATrunkAndTheCallerIdTheSettingsForce() {
        settings = settings("{}");
        assertEquals(List.of("PJSIP/101", "Local/support@b24bridge-queue/n"),
                dials(routing.decide("4952000001", "79162000001")), "mobileTrunk is empty: no forwarding");
        settings = settings("{\"mobileTrunk\": \"trunk\", \"mobileCallerId\": \"74951234567\"}");
        assertEquals("f(74951234567)", routing.decide("4952000001", "79162000001").targets().get(1).options());
    }

    @Test
    void aDidTheAppliancesDoesNotRouteIsLeftToThePbx() {
        assertEquals(RouteDecision.Source.NO_ROUTE, routing.decide("74950000000", "79162000001").source());
        assertEquals(List.of(), routing.decide("4951000101", "79162000001").targets(), "no routing, no fallback");
        RouteDecision office = routing.decide("4952000003", "79162000001");
        assertEquals(List.of("Local/200@b24bridge-group/n"), dials(office), "no routing, but its fallback");
        assertEquals(RouteDecision.Source.ROUTE, office.source());
        assertEquals(0, crm.questions.get(), "none of these asked the CRM");
    }

    @Test
    void whileTheCrmIsAwayOneQuestionAtATimeProbesItAndItsAnswerEndsThePause() {
        crm.down = true;
        routing.decide("4952000002", "79990000001");          // fails: the CRM is away now
        assertTrue(routing.crmAway());
        crm.down = false;
        crm.beSlow();
        int before = crm.questions.get();
        for (int i = 0; i < 20; i++) {
            RouteDecision d = routing.decide("4952000002", "7999000010" + i);
            assertEquals(RouteDecision.Source.ROUTE_DEFAULT, d.source(), "nobody waits while it is away");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> crm.held.get() == 1); // the probe is under way
        assertEquals(before + 1, crm.questions.get(), "one probe, not twenty questions to a struggling box");
        crm.answerNow();                                       // the probe's answer came: the box is back
        await().atMost(Duration.ofSeconds(30)).until(() -> !routing.crmAway());
        assertEquals(before + 1, crm.questions.get());
        assertEquals(RouteDecision.Source.CRM, routing.decide("4952000002", "79162000001").source());
    }
}
