package io.b24bridge.testkit.asterisk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One AMI message (a response or an event) as received: its header lines in order (a key may repeat) and
 * the raw text, CRLFs included.
 */
public record AmiMessage(List<Map.Entry<String, String>> headers, String raw) {

    public AmiMessage {
        headers = List.copyOf(headers);
    }

    /** Parses one message's text (without the blank line that ends it). */
    static AmiMessage parse(String raw) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : raw.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String value = line.substring(colon + 1);
                headers.add(Map.entry(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value));
            }
        }
        return new AmiMessage(headers, raw);
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String get(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public String event() {
        return get("Event");
    }

    public boolean isEvent() {
        return get("Event") != null;
    }

    public boolean isResponse() {
        return get("Response") != null;
    }

    public boolean isSuccess() {
        String r = get("Response");
        return "Success".equalsIgnoreCase(r) || "Goodbye".equalsIgnoreCase(r);
    }

    public String actionId() {
        return get("ActionID");
    }
}
