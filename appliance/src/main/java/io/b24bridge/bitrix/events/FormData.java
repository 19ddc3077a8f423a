package io.b24bridge.bitrix.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form body as Bitrix24 (PHP) sends it, read into nested maps: {@code data[PHONE_NUMBER]=…},
 * {@code auth[access_token]=…}. Only the two levels events use are needed; deeper keys nest a little further.
 * Anything a PHP form encoder would not produce — a broken escape, a key that is both a value and a section,
 * thousands of fields, deep nesting — is a {@link Malformed} form: the sender gets 400, never a 500.
 */
final class FormData {

    /** More fields than any event has (an event carries a few dozen). */
    static final int MAX_FIELDS = 1000;
    /** {@code a[b][c][d]}: deeper than any event. */
    static final int MAX_DEPTH = 4;

    /** The body is not a form this handler reads; the message says why, in one line. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private FormData() {
    }

    static Map<String, Object> parse(String body) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return root;
        }
        String[] pairs = body.split("&", MAX_FIELDS + 2);
        if (pairs.length > MAX_FIELDS) {
            throw new Malformed("more than " + MAX_FIELDS + " fields");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            put(root, key, value);
        }
        return root;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Malformed("a broken %-escape in the form");
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, String value) {
        int open = key.indexOf('[');
        if (open <= 0 || !key.endsWith("]")) {
            if (root.get(key) instanceof Map) {
                throw new Malformed("field '" + printable(key) + "' is both a section and a value");
            }
            root.put(key, value);
            return;
        }
        String head = key.substring(0, open);
        String[] parts = key.substring(open + 1, key.length() - 1).split("\\]\\[", -1);
        if (parts.length > MAX_DEPTH) {
            throw new Malformed("field '" + printable(head) + "' is nested deeper than " + MAX_DEPTH);
        }
        Map<String, Object> node = child(root, head);
        for (int i = 0; i < parts.length - 1; i++) {
            node = child(node, parts[i]);
        }
        String last = parts[parts.length - 1];
        String name = last.isEmpty() ? String.valueOf(node.size()) : last;
        if (node.get(name) instanceof Map) {
            throw new Malformed("field '" + printable(key) + "' is both a section and a value");
        }
        node.put(name, value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String name) {
        Object existing = parent.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
        if (!(existing instanceof Map)) {
            throw new Malformed("field '" + printable(name) + "' is both a value and a section");
        }
        return (Map<String, Object>) existing;
    }

    /** {@code map[key]} as text, or "" . */
    static String text(Map<String, Object> map, String key) {
        Object v = map == null ? null : map.get(key);
        return v instanceof String s ? s : "";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> form, String key) {
        Object v = form.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * A sender's value as it may go into a log line: control and format characters (CR, LF, bidi overrides) become
     * '?', and it is cut at 80 characters, so a forged field cannot forge log lines.
     */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            int type = Character.getType(c);
            out.appendCodePoint(type == Character.CONTROL || type == Character.FORMAT ? '?' : c);
        });
        return out.toString();
    }
}
