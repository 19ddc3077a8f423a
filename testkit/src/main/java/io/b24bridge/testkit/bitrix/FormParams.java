package io.b24bridge.testkit.bitrix;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Form bodies and query strings as PHP (and so Bitrix24) reads them (contract §1): {@code FIELDS[TITLE]=x}
 * nests into maps, {@code USER_ID[]=1&USER_ID[]=2} appends, {@code fields[PHONE][0][VALUE]=…} indexes.
 *
 * <p>Values come out as {@code String}, {@code Map<String, Object>} (insertion order) or {@code List<Object>}:
 * a PHP array whose keys are exactly 0..n-1 becomes a list, because that is what it means to a PHP method and
 * what a JSON body carries for the same parameter. Repeated plain keys: the last one wins, as in PHP.
 */
public final class FormParams {

    private FormParams() {
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a body or a raw query string). */
    public static Map<String, Object> parse(String text) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return root;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            put(root, key, value);
        }
        return normalise(root);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a stray '%' (PHP keeps such text as it is rather than failing the request)
            return s;
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, String value) {
        int open = key.indexOf('[');
        if (open <= 0 || key.indexOf(']', open) < 0) {
            root.put(key, value);
            return;
        }
        String head = key.substring(0, open);
        List<String> parts = new ArrayList<>();
        int i = open;
        while (i < key.length() && key.charAt(i) == '[') {
            int close = key.indexOf(']', i);
            if (close < 0) {
                break;
            }
            parts.add(key.substring(i + 1, close));
            i = close + 1;
        }
        Object node = root.get(head);
        if (!(node instanceof Map)) {
            node = new LinkedHashMap<String, Object>();
            root.put(head, node);
        }
        Map<String, Object> map = (Map<String, Object>) node;
        for (int p = 0; p < parts.size(); p++) {
            String part = parts.get(p);
            if (part.isEmpty()) {
                part = String.valueOf(nextIndex(map));
            }
            if (p == parts.size() - 1) {
                map.put(part, value);
            } else {
                Object child = map.get(part);
                if (!(child instanceof Map)) {
                    child = new LinkedHashMap<String, Object>();
                    map.put(part, child);
                }
                map = (Map<String, Object>) child;
            }
        }
    }

    /** PHP appends at the highest integer key + 1. */
    private static int nextIndex(Map<String, Object> map) {
        int next = 0;
        for (String k : map.keySet()) {
            if (isIndex(k)) {
                next = Math.max(next, Integer.parseInt(k) + 1);
            }
        }
        return next;
    }

    private static boolean isIndex(String k) {
        return !k.isEmpty() && k.length() < 10 && k.chars().allMatch(Character::isDigit)
                && (k.length() == 1 || k.charAt(0) != '0');
    }

    /** Maps keyed exactly 0..n-1 become lists, all the way down. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> normalise(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, normaliseValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normaliseValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> inner = normalise((Map<String, Object>) m);
            int i = 0;
            for (String k : inner.keySet()) {
                if (!k.equals(String.valueOf(i++))) {
                    return inner;
                }
            }
            return inner.isEmpty() ? inner : new ArrayList<>(inner.values());
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normaliseValue(x)));
            return out;
        }
        return v;
    }

    /** Encodes nested values the way PHP's http_build_query does (lists of scalars as {@code k[]=}). */
    public static String encode(Map<String, ?> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((k, v) -> append(out, k, v));
        return out.toString();
    }

    private static void append(StringJoiner out, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> append(out, key + "[" + k + "]", v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                append(out, key + "[" + i + "]", list.get(i));
            }
        } else {
            String text = value instanceof Boolean b ? (b ? "1" : "0") : value.toString();
            out.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
    }
}
