package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filter} / {@code select} / {@code order} / {@code start} of the box's list methods, enough of it
 * for what an integration asks: equality (a list means "any of"), the prefixes {@code ! = > < >= <= %}, the
 * PHONE filter by normalised number; {@code select} defaults to every field except multi-fields (PHONE, EMAIL),
 * which a list shows only when selected — as the box does.
 */
final class CrmQuery {

    static final Set<String> MULTI_FIELDS = Set.of("PHONE", "EMAIL");

    private CrmQuery() {
    }

    static Reply list(List<Map<String, Object>> rows, Args a) {
        Map<String, Object> filter = a.map("filter");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (matches(row, filter)) {
                out.add(row);
            }
        }
        sort(out, a.map("order"));
        List<String> select = a.list("select").stream().map(o -> Args.str(o).toUpperCase(Locale.ROOT)).toList();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Map<String, Object> row : out) {
            shown.add(select(row, select));
        }
        return Reply.page(shown, a.integer("start"));
    }

    static boolean matches(Map<String, Object> row, Map<String, Object> filter) {
        for (Map.Entry<String, Object> f : filter.entrySet()) {
            String key = f.getKey();
            String op = "";
            for (String p : List.of(">=", "<=", "!=", "!", "=", ">", "<", "%", "@")) {
                if (key.startsWith(p)) {
                    op = p;
                    key = key.substring(p.length());
                    break;
                }
            }
            key = key.toUpperCase(Locale.ROOT);
            if (!test(row, key, op, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean test(Map<String, Object> row, String key, String op, Object wanted) {
        List<Object> wants = Args.asList(wanted);
        boolean any = false;
        for (Object w : wants) {
            if (one(row, key, op, Args.str(w))) {
                any = true;
                break;
            }
        }
        boolean negate = op.equals("!") || op.equals("!=");
        return negate ? !any : any;
    }

    private static boolean one(Map<String, Object> row, String key, String op, String want) {
        Object have = row.get(key);
        if (MULTI_FIELDS.contains(key)) {
            for (Object item : Args.asList(have)) {
                String v = Args.str(Args.asMap(item).get("VALUE"));
                if (key.equals("PHONE") ? PhoneNumbers.same(v, want) : v != null && v.equalsIgnoreCase(want)) {
                    return true;
                }
            }
            return false;
        }
        String h = have instanceof Boolean b ? (b ? "Y" : "N") : Args.str(have);
        if (h == null) {
            return want == null || want.isEmpty();
        }
        return switch (op) {
            case ">" -> compare(h, want) > 0;
            case "<" -> compare(h, want) < 0;
            case ">=" -> compare(h, want) >= 0;
            case "<=" -> compare(h, want) <= 0;
            case "%" -> h.toLowerCase(Locale.ROOT).contains(want.toLowerCase(Locale.ROOT));
            default -> h.equalsIgnoreCase(want) || (isTrue(want) && isTrue(h)) || (isFalse(want) && isFalse(h));
        };
    }

    private static boolean isTrue(String s) {
        return s.equalsIgnoreCase("Y") || s.equalsIgnoreCase("true");
    }

    private static boolean isFalse(String s) {
        return s.equalsIgnoreCase("N") || s.equalsIgnoreCase("false");
    }

    private static int compare(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static void sort(List<Map<String, Object>> rows, Map<String, Object> order) {
        Comparator<Map<String, Object>> cmp = null;
        for (Map.Entry<String, Object> o : order.entrySet()) {
            String key = o.getKey().toUpperCase(Locale.ROOT);
            Comparator<Map<String, Object>> c = (x, y) -> compare(String.valueOf(Args.str(x.get(key))),
                    String.valueOf(Args.str(y.get(key))));
            if ("DESC".equalsIgnoreCase(Args.str(o.getValue()))) {
                c = c.reversed();
            }
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        if (cmp == null) {
            cmp = (x, y) -> compare(Args.str(x.get("ID")), Args.str(y.get("ID")));
        }
        rows.sort(cmp);
    }

    private static Map<String, Object> select(Map<String, Object> row, List<String> select) {
        boolean all = select.isEmpty() || select.contains("*");
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (MULTI_FIELDS.contains(k) ? select.contains(k) : all || select.contains(k) || k.equals("ID")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
