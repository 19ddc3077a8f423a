package io.b24bridge.testkit.bitrix;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** §1: forms read as PHP reads them (the parser on its own; the REST tests cover it over the wire). */
class FormParamsTest {

    @Test
    void nestedKeysBecomeMapsAndIndexedOnesLists() {
        Map<String, Object> p = FormParams.parse("FIELDS[TITLE]=Call%20from%20%2B7916&USER_ID[]=1&USER_ID[]=2"
                + "&fields[PHONE][0][VALUE]=%2B79161234567&fields[PHONE][0][VALUE_TYPE]=WORK&auth=abc");
        assertEquals(Map.of("TITLE", "Call from +7916"), p.get("FIELDS"));
        assertEquals(List.of("1", "2"), p.get("USER_ID"));
        assertEquals(Map.of("PHONE", List.of(Map.of("VALUE", "+79161234567", "VALUE_TYPE", "WORK"))), p.get("fields"));
        assertEquals("abc", p.get("auth"));
    }

    @Test
    void namedKeysStayAMapAndTheLastPlainValueWins() {
        Map<String, Object> p = FormParams.parse("cmd[reg]=a%3Fb%3D1&cmd[fin]=c&x=1&x=2&flag");
        assertEquals(Map.of("reg", "a?b=1", "fin", "c"), p.get("cmd"));
        assertEquals(List.of("reg", "fin"), List.copyOf(((Map<?, ?>) p.get("cmd")).keySet()), "order is kept");
        assertEquals("2", p.get("x"));
        assertEquals("", p.get("flag"));
    }

    @Test
    void encodingRoundTrips() {
        Map<String, Object> p = Map.of("data", Map.of("PHONE_NUMBER", "+7 916 & co", "LIST", List.of("a", "b")));
        assertEquals(p, FormParams.parse(FormParams.encode(p)));
    }
}
