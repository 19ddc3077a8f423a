package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A contact, company or lead: its fields as the REST API shows them ({@code ID}, {@code TITLE} / {@code NAME},
 * {@code ASSIGNED_BY_ID}, {@code SOURCE_ID}, the {@code PHONE} multi-field as a list of
 * {@code {ID, VALUE_TYPE, VALUE, TYPE_ID}}). Scalars are strings, as PHP returns them.
 */
public record CrmEntity(EntityType type, int id, Map<String, Object> fields) {

    public CrmEntity {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    public Integer assignedById() {
        Object v = fields.get("ASSIGNED_BY_ID");
        return v == null || Args.str(v).isBlank() ? null : Args.intval(v);
    }

    public String field(String name) {
        return Args.str(fields.get(name));
    }

    /** The phone numbers as entered. */
    public List<String> phones() {
        List<String> out = new ArrayList<>();
        for (Object p : Args.asList(fields.get("PHONE"))) {
            String v = Args.str(Args.asMap(p).get("VALUE"));
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    /** What a card shows: a person's full name, a company's or lead's title. */
    public String displayName() {
        String full = ((nz(field("NAME")) + " " + nz(field("LAST_NAME"))).strip());
        return switch (type) {
            case CONTACT -> full;
            case COMPANY -> nz(field("TITLE"));
            default -> full.isEmpty() ? nz(field("TITLE")) : full;
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
