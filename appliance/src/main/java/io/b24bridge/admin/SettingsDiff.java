package io.b24bridge.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a settings change changed, for the audit log: each field that differs, by its path
 * ({@code routes[0].leadSource}), with its value before and after. Settings hold no secrets (passwords and keys live
 * in the configuration file), so values may be kept; long ones are cut, and a large change lists its first
 * {@link #MAX_CHANGES} fields and the count.
 */
final class SettingsDiff {

    static final int MAX_CHANGES = 50;
    private static final int MAX_VALUE = 200;

    private SettingsDiff() {
    }

    /** {@code {"changes": [{"field", "from", "to"}...], "more": n}}. */
    static Map<String, Object> between(JsonNode before, JsonNode after, String prefix) {
        List<Map<String, Object>> changes = new ArrayList<>();
        int[] total = {0};
        walk(before, after, prefix, changes, total);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changes", changes);
        if (total[0] > changes.size()) {
            out.put("more", total[0] - changes.size());
        }
        return out;
    }

    private static void walk(JsonNode a, JsonNode b, String path, List<Map<String, Object>> out, int[] total) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(fields::add);
            b.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                walk(a.get(f), b.get(f), path.isEmpty() ? f : path + "." + f, out, total);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                walk(a.get(i), b.get(i), path + "[" + i + "]", out, total);
            }
            return;
        }
        if (a == null ? b == null : a.equals(b)) {
            return;
        }
        total[0]++;
        if (out.size() < MAX_CHANGES) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("field", path.isEmpty() ? "(section)" : path);
            c.put("from", text(a));
            c.put("to", text(b));
            out.add(c);
        }
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return null;
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "…" : s;
    }
}
