package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Keeps secrets out of the request log, the state and the logs: tokens masked, file contents summarised. */
final class Masking {

    private static final Set<String> SECRET_KEYS = Set.of("auth", "access_token", "refresh_token", "client_secret",
            "application_token", "secret", "password", "token");
    private static final Set<String> CONTENT_KEYS = Set.of("file_content");

    private Masking() {
    }

    /** The first four characters, enough to tell tokens apart in a test report. */
    static String token(String t) {
        if (t == null) {
            return null;
        }
        return t.length() <= 8 ? "***" : t.substring(0, 4) + "***";
    }

    /** A deep copy of parameters with secrets masked and base64 contents replaced by their length. */
    static Map<String, Object> params(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, value(k, v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(String key, Object v) {
        String k = key.toLowerCase(Locale.ROOT);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((ik, iv) -> out.put(ik, value(ik, iv)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(value(key, o));
            }
            return out;
        }
        if (v == null) {
            return null;
        }
        if (SECRET_KEYS.contains(k)) {
            return token(Args.str(v));
        }
        if (CONTENT_KEYS.contains(k)) {
            return "<" + Args.str(v).length() + " base64 characters>";
        }
        String s = Args.str(v);
        if (s.length() > 2000) {
            return s.substring(0, 200) + "…<" + s.length() + " characters>";
        }
        return v;
    }

    /** A /rest/ path with a webhook's secret hidden: {@code /rest/1/***}{@code /method}. */
    static String path(String path) {
        String[] parts = path.split("/", -1);
        // "", "rest", user, secret, method
        if (parts.length == 5 && parts[1].equals("rest")) {
            return "/rest/" + parts[2] + "/***/" + parts[4];
        }
        return path;
    }
}
