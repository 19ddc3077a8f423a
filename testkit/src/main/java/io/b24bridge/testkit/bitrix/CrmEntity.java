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

    /** REST-shaped fields of a contact, as seeding gives them. */
    static Map<String, Object> contactFields(String name, String lastName, int assignedById, Integer companyId,
                                             String... phones) {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("NAME", name);
        f.put("LAST_NAME", lastName);
        f.put("ASSIGNED_BY_ID", String.valueOf(assignedById));
        if (companyId != null) {
            f.put("COMPANY_ID", String.valueOf(companyId));
        }
        f.put("PHONE", phoneList(phones));
        return f;
    }

    static Map<String, Object> companyFields(String title, int assignedById, String... phones) {
        return Map.of("TITLE", title, "ASSIGNED_BY_ID", String.valueOf(assignedById), "PHONE", phoneList(phones));
    }

    static Map<String, Object> leadFields(String title, int assignedById, String sourceId, String... phones) {
        return Map.of("TITLE", title, "ASSIGNED_BY_ID", String.valueOf(assignedById),
                "SOURCE_ID", sourceId == null ? "" : sourceId, "PHONE", phoneList(phones));
    }

    private static List<Object> phoneList(String... phones) {
        List<Object> out = new ArrayList<>();
        for (String p : phones) {
            out.add(Map.of("VALUE", p, "VALUE_TYPE", "WORK"));
        }
        return out;
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
