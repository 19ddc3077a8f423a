package io.b24bridge.testkit.bitrix;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code batch} (§1, rest/classes/general/rest_provider.php:267-393): {@code cmd[key]=method?params} run in order
 * under the batch's auth; a later command may use {@code $result[key][FIELD]...}; {@code halt=1} stops at the first
 * error. Past 50 commands each further one fails on its own with {@code ERROR_BATCH_LENGTH_EXCEEDED} inside a 200
 * ("The batch method does not return a single error for the entire batch", docs batch.md); {@code batch},
 * {@code upload} and {@code download} cannot be nested. The answer nests {@code result}, {@code result_error},
 * {@code result_total}, {@code result_next}, {@code result_time}; an empty one is {@code []}, as PHP encodes an
 * empty array. One request for the rate limit.
 */
final class Batch {

    static final int MAX = 50;
    private static final Pattern REF = Pattern.compile("\\$result\\[([^\\]]*)\\]((?:\\[[^\\]]*\\])*)");
    private static final Pattern SEG = Pattern.compile("\\[([^\\]]*)\\]");

    private final Function<Invocation, Reply> invoke;
    private final Clock clock;

    Batch(Function<Invocation, Reply> invoke, Clock clock) {
        this.invoke = invoke;
        this.clock = clock;
    }

    Reply run(Invocation inv) {
        Map<String, Object> cmds = Args.asMap(inv.args().get("cmd"));
        int index = 0;
        boolean halt = inv.args().flag("halt", false);
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> errors = new LinkedHashMap<>();
        Map<String, Object> totals = new LinkedHashMap<>();
        Map<String, Object> nexts = new LinkedHashMap<>();
        Map<String, Object> times = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : cmds.entrySet()) {
            String key = c.getKey();
            String line = Args.str(c.getValue());
            int q = line.indexOf('?');
            String method = (q < 0 ? line : line.substring(0, q)).strip();
            Map<String, Object> params = FormParams.parse(q < 0 ? "" : line.substring(q + 1));
            params.remove("auth"); // a command runs under the batch's own auth
            @SuppressWarnings("unchecked")
            Map<String, Object> resolved = (Map<String, Object>) substitute(params, results);
            Instant start = clock.instant();
            long t0 = System.nanoTime();
            try {
                if (index++ >= MAX) {
                    throw RestError.of("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
                }
                if (List.of("batch", "upload", "download").contains(method.toLowerCase(Locale.ROOT))) {
                    throw RestError.of("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
                }
                Reply r = invoke.apply(new Invocation(method, new Args(resolved), inv.caller()));
                results.put(key, r.result());
                if (r.total() != null) {
                    totals.put(key, r.total());
                }
                if (r.next() != null) {
                    nexts.put(key, r.next());
                }
                times.put(key, RestTime.of(start, t0));
            } catch (RestError e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("error", e.code());
                err.put("error_description", e.description());
                errors.put(key, err);
                if (halt) {
                    break;
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", php(results));
        out.put("result_error", php(errors));
        out.put("result_total", php(totals));
        out.put("result_next", php(nexts));
        out.put("result_time", php(times));
        return Reply.of(out);
    }

    private static Object php(Map<String, Object> m) {
        return m.isEmpty() ? List.of() : m;
    }

    /** Replaces {@code $result[key][a][b]} references in every value with what earlier commands answered. */
    private static Object substitute(Object v, Map<String, Object> results) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, substitute(x, results)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> substitute(x, results)).toList();
        }
        if (!(v instanceof String s) || !s.contains("$result[")) {
            return v;
        }
        Matcher whole = REF.matcher(s);
        if (whole.matches()) {
            Object found = lookup(results, whole.group(1), whole.group(2));
            // a whole-value reference to an array passes the array, as PHP does
            return found instanceof Map || found instanceof List ? found : nz(Args.str(found));
        }
        Matcher m = REF.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(nz(Args.str(lookup(results, m.group(1), m.group(2))))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(Map<String, Object> results, String key, String path) {
        Object node = results.get(key);
        Matcher seg = SEG.matcher(path);
        while (seg.find() && node != null) {
            String s = seg.group(1);
            if (node instanceof Map<?, ?> m) {
                node = m.get(s);
            } else if (node instanceof List<?> l) {
                int i = Args.intval(s);
                node = i >= 0 && i < l.size() ? l.get(i) : null;
            } else {
                node = null;
            }
        }
        return node;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
