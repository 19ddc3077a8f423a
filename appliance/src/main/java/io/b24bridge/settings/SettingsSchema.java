package io.b24bridge.settings;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of each settings section, for the panel's forms: a section is a record of text, numbers, yes/no,
 * a choice among an enum's values, a list (of texts, choices or records) and nested records. Read from the
 * records themselves (their components, in declaration order) so the forms follow the typed tree and a new
 * field appears in the panel with no second, hand-kept copy of it to drift.
 *
 * <p>Shapes: {@code {"kind": "object", "fields": [{"name", ...shape}]}}, {@code {"kind": "list", "item": shape}},
 * {@code {"kind": "enum", "values": [...]}}, {@code {"kind": "text" | "number" | "boolean"}}.
 */
public final class SettingsSchema {

    private SettingsSchema() {
    }

    /** Every section's shape, by its key. */
    public static Map<String, Object> all() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Section s : Section.values()) {
            out.put(s.key(), of(s.type()));
        }
        return out;
    }

    static Map<String, Object> of(Type type) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            m.put("kind", "list");
            m.put("item", of(p.getActualTypeArguments()[0]));
            return m;
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            m.put("kind", "object");
            List<Map<String, Object>> fields = new ArrayList<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("name", rc.getName());
                f.putAll(of(rc.getGenericType()));
                fields.add(f);
            }
            m.put("fields", fields);
        } else if (c.isEnum()) {
            m.put("kind", "enum");
            m.put("values", Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
        } else if (c == Boolean.class || c == boolean.class) {
            m.put("kind", "boolean");
        } else if (Number.class.isAssignableFrom(c) || c == int.class || c == long.class) {
            m.put("kind", "number");
        } else {
            m.put("kind", "text");
        }
        return m;
    }
}
