package io.b24bridge.testkit.pbx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One AMI message as it goes over the wire: headers in order ({@code Name: value}), names as Asterisk spells
 * them, a name may repeat (Asterisk repeats some, e.g. {@code State} in TestEvent).
 */
public record AmiMessage(List<Header> headers) {

    /** One {@code Name: value} line. */
    public record Header(String name, String value) {
    }

    public AmiMessage {
        headers = List.copyOf(headers);
    }

    /** {@code of("Event", "Newchannel", "Channel", "PJSIP/101-00000001")}. */
    public static AmiMessage of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        List<Header> h = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new AmiMessage(h);
    }

    /** The first value of a header (names compare without case, as Asterisk does); null when absent. */
    public String get(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public String event() {
        return get("Event");
    }

    /** The event classes of {@code Privilege: call,all}, lower case, without {@code all}. */
    public Set<String> privileges() {
        String p = get("Privilege");
        if (p == null || p.isBlank()) {
            return Set.of();
        }
        Set<String> classes = new java.util.HashSet<>();
        for (String c : p.toLowerCase(Locale.ROOT).split(",")) {
            if (!c.isBlank() && !c.strip().equals("all")) {
                classes.add(c.strip());
            }
        }
        return classes;
    }

    /** A copy with {@code name} set: replaced where it is, appended when absent. */
    public AmiMessage with(String name, String value) {
        List<Header> h = new ArrayList<>(headers);
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).name().equalsIgnoreCase(name)) {
                h.set(i, new Header(h.get(i).name(), value));
                return new AmiMessage(h);
            }
        }
        h.add(new Header(name, value));
        return new AmiMessage(h);
    }

    /** The wire form: CRLF after each header and an empty line to end the message. */
    public String wire() {
        StringBuilder b = new StringBuilder(headers.size() * 32);
        for (Header h : headers) {
            b.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Override
    public String toString() {
        return wire().replace("\r\n", " | ");
    }
}
