package io.b24bridge.bitrix.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form body as Bitrix24 (PHP) sends it, read into nested maps: {@code data[PHONE_NUMBER]=…},
 * {@code auth[access_token]=…}. Only the two levels events use are needed; deeper keys nest further.
 */
final class FormData {

    private FormData() {
    }

    static Map<String, Object> parse(String body) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return root;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            put(root, key, value);
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, String value) {
        int open = key.indexOf('[');
        if (open <= 0 || !key.endsWith("]")) {
            root.put(key, value);
            return;
        }
        String head = key.substring(0, open);
        String[] parts = key.substring(open + 1, key.length() - 1).split("\\]\\[", -1);
        Map<String, Object> node = (Map<String, Object>) root.computeIfAbsent(head, k -> new LinkedHashMap<>());
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        }
        String last = parts[parts.length - 1];
        node.put(last.isEmpty() ? String.valueOf(node.size()) : last, value);
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
}
