package io.b24bridge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Names: what is accepted, and which host names a certificate covers (as a TLS client decides). */
class SubjectAltNamesTest {

    @Test
    void namesAreNormalisedAndSortedByKind() {
        SubjectAltNames n = SubjectAltNames.of(List.of("B24Bridge.Corp.Example.", "10.0.0.5", "::1", "b24bridge.corp.example"));
        assertEquals(List.of("b24bridge.corp.example"), n.dnsNames());
        assertEquals(List.of("10.0.0.5", "0:0:0:0:0:0:0:1"), n.ipAddresses());
        assertEquals("DNS:b24bridge.corp.example, IP:10.0.0.5, IP:0:0:0:0:0:0:0:1", n.toString());
    }

    @Test
    void coverageFollowsTheRulesOfTlsClients() {
        SubjectAltNames n = SubjectAltNames.of(List.of("b24bridge.corp.example", "*.apps.corp.example", "10.0.0.5"));
        assertTrue(n.covers("B24BRIDGE.corp.example"));
        assertTrue(n.covers("b24bridge.corp.example."));
        assertTrue(n.covers("x.apps.corp.example"));
        assertFalse(n.covers("apps.corp.example"), "a wildcard needs a label");
        assertFalse(n.covers("a.b.apps.corp.example"), "a wildcard covers one label only");
        assertFalse(n.covers("corp.example"));
        assertTrue(n.covers("10.0.0.5"));
        assertFalse(n.covers("10.0.0.6"));
        assertFalse(SubjectAltNames.of(List.of("10.0.0.5")).covers("b24bridge.corp.example"));
    }

    @Test
    void badNamesAndAddressesAreRefusedWithAReason() {
        for (String bad : List.of("has space.example", "under_score.example", "*", "a..b", "-lead.example",
                "a.*.example", "ÿ.example")) {
            CertsException e = assertThrows(CertsException.class,
                    () -> new SubjectAltNames(List.of(bad), List.of()), bad);
            assertTrue(e.getMessage().contains("is not a DNS name"), e.getMessage());
        }
        for (String bad : List.of("300.1.1.1", "1.2.3", "fe80::zz", "localhost")) {
            assertThrows(CertsException.class, () -> new SubjectAltNames(List.of(), List.of(bad)), bad);
        }
    }
}
