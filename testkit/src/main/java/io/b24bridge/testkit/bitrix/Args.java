package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of one REST call, read the way the box's PHP reads them: top-level names are matched without
 * regard to case ({@code fields} = {@code FIELDS}, {@code call_id} = {@code CALL_ID}), scalars are coerced
 * loosely (PHP's intval: {@code "12abc"} is 12, junk is 0), flags accept 1/Y/true.
 */
final class Args {

    private final Map<String, Object> raw;
    private final Map<String, Object> byName;

    Args(Map<String, Object> raw) {
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        this.byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // the first spelling wins, as a PHP method reading $params['CALL_ID'] then $params['call_id'] would
        raw.forEach(byName::putIfAbsent);
    }

    Map<String, Object> raw() {
        return raw;
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    Object get(String name) {
        return byName.get(name);
    }

    /** The value as text; null when absent. */
    String string(String name) {
        return str(byName.get(name));
    }

    /** The value as text, blank when absent. */
    String text(String name) {
        String s = string(name);
        return s == null ? "" : s.strip();
    }

    /** The value as PHP's intval would read it; null when absent or empty. */
    Integer integer(String name) {
        Object v = byName.get(name);
        if (v == null || str(v).isBlank()) {
            return null;
        }
        return intval(v);
    }

    boolean flag(String name, boolean absent) {
        Object v = byName.get(name);
        if (v == null || str(v).isBlank()) {
            return absent;
        }
        return truthy(v);
    }

    Map<String, Object> map(String name) {
        return asMap(byName.get(name));
    }

    List<Object> list(String name) {
        return asList(byName.get(name));
    }

    // ---- coercions shared by every method ----

    static String str(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return String.valueOf(d.longValue());
        }
        if (v instanceof Map || v instanceof List) {
            return "Array"; // what PHP makes of an array used as a string
        }
        return v.toString();
    }

    static int intval(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        String s = str(v);
        if (s == null) {
            return 0;
        }
        s = s.strip();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long n = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && n < Integer.MAX_VALUE) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        n = Math.min(n, Integer.MAX_VALUE);
        return (int) (negative ? -n : n);
    }

    static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = str(v);
        if (s == null) {
            return false;
        }
        s = s.strip();
        return s.equals("1") || s.equalsIgnoreCase("Y") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object v) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (v instanceof List<?> l) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < l.size(); i++) {
                out.put(String.valueOf(i), l.get(i));
            }
            return out;
        }
        return Map.of();
    }

    static List<Object> asList(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.values());
        }
        return List.of(v);
    }

    /** A map whose top-level keys are read without regard to case (for {@code fields}, {@code filter}). */
    static Map<String, Object> caseless(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.forEach(out::putIfAbsent);
        return out;
    }
}
