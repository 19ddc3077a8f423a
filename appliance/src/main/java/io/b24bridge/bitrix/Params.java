package io.b24bridge.bitrix;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The parameters of one REST call, encoded the way Bitrix24 (PHP) reads forms: nested maps as
 * {@code FIELDS[TITLE]=…}, lists of scalars as {@code USER_ID[]=1&USER_ID[]=2}, lists of maps with indexes
 * ({@code fields[PHONE][0][VALUE]=…}). Keeps insertion order, so the encoded form is stable (tests pin it).
 */
public final class Params {

    private final Map<String, Object> values = new LinkedHashMap<>();

    public static Params of() {
        return new Params();
    }

    /** Adds a value: text, number, boolean (as {@code 1}/{@code 0}), list or map; null values are left out. */
    public Params put(String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
        return this;
    }

    /** An ordered map for nested fields: {@code fields("TITLE", "x", "NAME", "y")} keeps that order. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in key-value pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    public Object get(String key) {
        return values.get(key);
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** {@code application/x-www-form-urlencoded} text. */
    public String encode() {
        StringJoiner out = new StringJoiner("&");
        values.forEach((k, v) -> append(out, k, v));
        return out.toString();
    }

    private static void append(StringJoiner out, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> append(out, key + "[" + k + "]", v));
        } else if (value instanceof List<?> list) {
            boolean scalars = list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
            for (int i = 0; i < list.size(); i++) {
                append(out, key + (scalars ? "[]" : "[" + i + "]"), list.get(i));
            }
        } else {
            out.add(enc(key) + "=" + enc(scalar(value)));
        }
    }

    private static String scalar(Object value) {
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return value.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Params" + values.keySet();
    }
}
