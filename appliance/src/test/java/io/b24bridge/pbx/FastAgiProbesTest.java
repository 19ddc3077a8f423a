package io.b24bridge.pbx;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.b24bridge.json.Json;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.routing.RoutingService;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review probes P9 and P11's first half (F5): FastAGI has no authentication of its own, so it serves only the
 * PBXs' addresses — anyone else got a client's responsible and their personal mobile — and a connection that says
 * nothing is closed within seconds instead of holding one of the pool's threads for three hours.
 */
class FastAgiProbesTest {

    private static final SettingsJson JSON = new SettingsJson(Json.newMapper());

    private RoutingService routing;
    private FastAgiServer server;

    private FastAgiServer start(Set<InetAddress> allowed) throws IOException {
        Map<Section, SectionValue> v = new EnumMap<>(Section.class);
        v.put(Section.INBOUND_ROUTES, JSON.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "_4951000XXX", "name": "Sandbox lines", "defaultResponsibleUserId": 2,
                             "routeToResponsible": true, "forwardToMobile": true}]}""".getBytes(StandardCharsets.UTF_8)));
        v.put(Section.ROUTING, JSON.readSection(Section.ROUTING, "{\"mobileTrunk\": \"mts\"}"
                .getBytes(StandardCharsets.UTF_8)));
        Settings settings = new Settings(1, v);
        CrmDirectory.Person ivan = new CrmDirectory.Person(2, "101", "+79161110101", "OPENED");
        routing = new RoutingService(() -> settings, new CrmDirectory() {
            @Override
            public Optional<Owner> ownerOf(String number, String mobileField) {
                return Optional.of(new Owner("CONTACT", 12, ivan));
            }

            @Override
            public Optional<Person> person(int userId, String mobileField) {
                return Optional.of(ivan);
            }
        });
        server = new FastAgiServer("127.0.0.1", freePort(), Map.of("route", new RouteScript(routing,
                settings::routing)), allowed).start();
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
        routing.close();
    }

    @Test
    void aPeerThatIsNoPbxLearnsNothing() throws Exception {
        start(Set.of(InetAddress.getByName("10.255.255.1")));
        Map<String, String> learned;
        try {
            learned = AgiClient.request("127.0.0.1", server.port(), "route", "4951000101", "+79162000001",
                    "4951000101", "+79162000001").variables();
        } catch (IOException closedOnUs) {
            learned = Map.of();
        }
        assertTrue(learned.isEmpty(), "no variables for a stranger: " + learned);
        assertEquals(1, server.refused());
    }

    @Test
    void thePbxLearnsWhereTheCallGoes() throws Exception {
        start(Set.of(InetAddress.getLoopbackAddress()));
        AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "4951000101", "+79162000001",
                "4951000101", "+79162000001");
        assertEquals("PJSIP/101", a.get("B24_T1"), a.variables().toString());
        assertEquals(0, server.refused());
    }

    @Test
    void silentConnectionsAreClosedWithinSecondsAndRoutingGoesOn() throws Exception {
        start(Set.of(InetAddress.getLoopbackAddress()));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < FastAgiServer.MAX_THREADS + 8; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
                s.setSoTimeout(30_000);
                idle.add(s);
            }
            // each idle socket is closed by the appliance (read ends) well before our own 30 s limit: the pool's
            // are after the read timeout, those beyond the pool at once (the pool refuses them)
            long t0 = System.nanoTime();
            for (Socket s : idle) {
                try (InputStream in = s.getInputStream()) {
                    assertEquals(-1, in.read(), "the appliance closes a silent connection");
                } catch (java.net.SocketException reset) {
                    // closed by the appliance with a reset: as good
                }
            }
            double waited = (System.nanoTime() - t0) / 1e9;
            assertTrue(waited < 25, "closed after " + waited + " s");
            AgiClient.Answer a = AgiClient.request("127.0.0.1", server.port(), "route", "4951000101", "+79162000001",
                    "4951000101", "+79162000001");
            assertEquals("PJSIP/101", a.get("B24_T1"), "a real request is answered: " + a.variables());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static int freePort() throws IOException {
        return io.b24bridge.testkit.FreePorts.pick(); // below the ephemeral range: see FreePorts
    }
}
