package io.b24bridge.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.b24bridge.json.Json;
import io.b24bridge.routing.CrmUnavailable;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FastAGI listener and its route script, spoken to as Asterisk's res_agi does, over real TCP. */
class FastAgiServerTest {

    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());

    private RoutingService routing;
    private FastAgiServer server;

    @BeforeEach
    void start() throws IOException {
        Map<Section, SectionValue> v = new EnumMap<>(Section.class);
        v.put(Section.INBOUND_ROUTES, JSON.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "4952000001", "name": "Sales", "defaultResponsibleUserId": 4,
                             "routeToResponsible": true, "offerRating": true,
                             "fallback": {"type": "EXTENSIONS", "value": "101,102"}}]}""".getBytes(StandardCharsets.UTF_8)));
        v.put(Section.ROUTING, JSON.readSection(Section.ROUTING, "{\"deadlineMs\": 400, \"ratingPrompt\": \"custom/rate&beep\"}"
                .getBytes(StandardCharsets.UTF_8)));
        Settings settings = new Settings(1, v);
        // no box at all: what routing knows without the CRM
        routing = new RoutingService(() -> settings, new CrmUnavailable());
        server = new FastAgiServer("127.0.0.1", freePort(),
                Map.of("route", new RouteScript(routing, settings::routing)),
                Set.of(InetAddress.getLoopbackAddress())).start();
    }

    @AfterEach
    void stop() {
        server.close();
        routing.close();
    }

    @Test
    void theRouteScriptAnswersWithTheVariablesTheDialplanFollows() throws IOException {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "4952000001", "79162000001",
                "4952000001", "79162000001");
        assertEquals("1", a.get("B24_TARGETS"), a.variables().toString());
        assertEquals("PJSIP/101&PJSIP/102", a.get("B24_T1"));
        assertEquals("60", a.get("B24_T1_TIME"));
        assertEquals("", a.get("B24_T1_OF"));
        assertEquals("1", a.get("B24_RATE"));
        assertEquals("custom/rate&beep", a.get("B24_RATE_PROMPT"));
        assertEquals("5", a.get("B24_RATE_TIMEOUT"));
        assertEquals("ROUTE_DEFAULT", a.get("B24_ROUTED_BY"), "no CRM: the route's defaults");
        assertEquals("SUCCESS", a.get("AJ_AGISTATUS"));
        // how long the answer took is not asserted here: a cold JVM on a loaded machine can spend more than the
        // 400 ms deadline on its first AGI exchange without routing waiting for anything. RoutingServiceTest
        // proves the deadline on routing's own time; AgiDecisionBench prints the round trip's figures.
    }

    @Test
    void withoutArgumentsTheRequestsExtensionAndCallerIdAreUsed() throws IOException {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "4952000001", "79162000001");
        assertEquals("1", a.get("B24_TARGETS"));
    }

    @Test
    void aDidWithoutARouteGetsNoTargets() throws IOException {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "74950000000", "79162000001",
                "74950000000", "79162000001");
        assertEquals("0", a.get("B24_TARGETS"));
        assertEquals("NO_ROUTE", a.get("B24_ROUTED_BY"));
        assertNull(a.get("B24_T1"));
    }

    @Test
    void anUnknownScriptIsNotFound() throws IOException {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "teleport", "4952000001", "79162000001");
        assertEquals("NOT_FOUND", a.get("AJ_AGISTATUS"));
    }

    @Test
    void aTakenPortIsAStartErrorNamingIt() throws IOException {
        IOException e = assertThrows(IOException.class, () -> new FastAgiServer("127.0.0.1", server.port(),
                Map.of(), Set.of()).start());
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
    }

    private static int freePort() throws IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
