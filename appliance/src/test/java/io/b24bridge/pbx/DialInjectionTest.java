package io.b24bridge.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.b24bridge.json.Json;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Review probe P10 (F3): whoever may edit a Bitrix24 user writes Dial() separators into the inner phone or the
 * mobile; the FastAGI answer must not carry them to the dialplan, whose {@code Dial(${B24_T1},…)} would split them
 * into extra channels (an outside number rung with the client's call) or extra options ({@code G()}). The hostile
 * targets are dropped; the route's fallback still rings.
 */
class DialInjectionTest {

    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());

    /** The review's payloads, as the CRM would answer for the clients' responsibles. */
    private static final Map<String, CrmDirectory.Person> RESPONSIBLE_OF = Map.of(
            "+79165550000", new CrmDirectory.Person(9, "105&PJSIP/mts/79990000000",
                    "x&PJSIP/mts/sip:x@evil.example&PJSIP/y", "OPENED"),
            "+79165550001", new CrmDirectory.Person(10, "106,5,G(from-internal^s^1)", "+7 (916) 111-01-01 ext 5",
                    "OPENED"),
            "+79165550002", new CrmDirectory.Person(11, "107", "+7 (916) 111-01-07", "OPENED"));

    private RoutingService routing;
    private FastAgiServer server;

    @BeforeEach
    void start() throws IOException {
        Map<Section, SectionValue> v = new EnumMap<>(Section.class);
        v.put(Section.INBOUND_ROUTES, JSON.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "_4951000XXX", "name": "Sandbox lines", "defaultResponsibleUserId": 2,
                             "routeToResponsible": true, "forwardToMobile": true,
                             "fallback": {"type": "QUEUE", "value": "sales"}}]}""".getBytes(StandardCharsets.UTF_8)));
        v.put(Section.ROUTING, JSON.readSection(Section.ROUTING, "{\"mobileTrunk\": \"mts\"}"
                .getBytes(StandardCharsets.UTF_8)));
        Settings settings = new Settings(1, v);
        CrmDirectory crm = new CrmDirectory() {
            @Override
            public Optional<Owner> ownerOf(String number, String mobileField) {
                return Optional.ofNullable(RESPONSIBLE_OF.get(number)).map(p -> new Owner("CONTACT", p.userId(), p));
            }

            @Override
            public Optional<Person> person(int userId, String mobileField) {
                return Optional.empty();
            }
        };
        routing = new RoutingService(() -> settings, crm);
        server = new FastAgiServer("127.0.0.1", freePort(),
                Map.of("route", new RouteScript(routing, settings::routing)),
                Set.of(InetAddress.getLoopbackAddress())).start();
    }

    @AfterEach
    void stop() {
        server.close();
        routing.close();
    }

    private AgiClient.Answer route(String caller) throws IOException {
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "4951000101", caller,
                "4951000101", caller);
        for (Map.Entry<String, String> e : a.variables().entrySet()) {
            if (e.getKey().startsWith("B24_T") && !e.getKey().equals("B24_TARGETS")) {
                assertFalse(e.getValue().matches(".*[&,()\\s].*"), e.getKey() + " = " + e.getValue());
            }
        }
        return a;
    }

    @Test
    void anInnerPhoneAndAMobileThatAddChannelsAreNotRung() throws IOException {
        AgiClient.Answer a = route("+79165550000");
        assertEquals("1", a.get("B24_TARGETS"), a.variables().toString());
        assertEquals("Local/sales@b24bridge-queue/n", a.get("B24_T1"), "only the route's fallback");
        assertNull(a.get("B24_T2"));
        assertEquals("9", a.get("B24_RESPONSIBLE"), "who is responsible is still known, for the card");
    }

    @Test
    void anInnerPhoneThatAddsDialOptionsIsNotRung() throws IOException {
        AgiClient.Answer a = route("+79165550001");
        assertEquals("1", a.get("B24_TARGETS"), a.variables().toString());
        assertEquals("Local/sales@b24bridge-queue/n", a.get("B24_T1"));
    }

    @Test
    void aMobileWrittenWithSpacesAndParenthesesIsRungAsDigits() throws IOException {
        AgiClient.Answer a = route("+79165550002");
        assertEquals("3", a.get("B24_TARGETS"), a.variables().toString());
        assertEquals("PJSIP/107", a.get("B24_T1"));
        assertEquals("PJSIP/79161110107@mts", a.get("B24_T2"));
        assertEquals("107", a.get("B24_T2_OF"));
    }

    private static int freePort() throws IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
