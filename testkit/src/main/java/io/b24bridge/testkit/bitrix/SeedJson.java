package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The control API's seeding bodies read into the box's own shapes: camelCase or Bitrix names both accepted
 * ({@code assignedById} or {@code ASSIGNED_BY_ID}, {@code UF_PHONE_INNER} or {@code extension}).
 */
final class SeedJson {

    private SeedJson() {
    }

    static String text(JsonNode b, String... names) {
        for (String n : names) {
            JsonNode v = b.get(n);
            if (v != null && !v.isNull()) {
                return v.asText();
            }
        }
        return null;
    }

    static User user(JsonNode b) {
        if (!b.has("id")) {
            throw new IllegalArgumentException("a user needs an id");
        }
        return new User(b.get("id").asInt(), text(b, "name", "NAME"), text(b, "lastName", "LAST_NAME"),
                text(b, "UF_PHONE_INNER", "innerPhone", "extension"), text(b, "mobile", "PERSONAL_MOBILE"),
                text(b, "workPhone", "WORK_PHONE"), text(b, "personalPhone", "PERSONAL_PHONE"),
                b.path("active").asBoolean(true), text(b, "timemanStatus", "TIMEMAN_STATUS"));
    }

    private static List<Object> phones(JsonNode b) {
        List<Object> out = new ArrayList<>();
        JsonNode p = b.has("phones") ? b.get("phones") : b.path("phone");
        if (p.isArray()) {
            p.forEach(x -> out.add(Map.of("VALUE", x.asText(), "VALUE_TYPE", "WORK")));
        } else if (!p.isMissingNode() && !p.isNull()) {
            out.add(Map.of("VALUE", p.asText(), "VALUE_TYPE", "WORK"));
        }
        return out;
    }

    private static Map<String, Object> common(JsonNode b) {
        Map<String, Object> f = new LinkedHashMap<>();
        String assigned = text(b, "assignedById", "ASSIGNED_BY_ID");
        if (assigned != null) {
            f.put("ASSIGNED_BY_ID", assigned);
        }
        f.put("PHONE", phones(b));
        return f;
    }

    static Map<String, Object> contact(JsonNode b) {
        Map<String, Object> f = common(b);
        f.put("NAME", text(b, "name", "NAME"));
        f.put("LAST_NAME", text(b, "lastName", "LAST_NAME"));
        String company = text(b, "companyId", "COMPANY_ID");
        if (company != null) {
            f.put("COMPANY_ID", company);
        }
        return f;
    }

    static Map<String, Object> company(JsonNode b) {
        Map<String, Object> f = common(b);
        f.put("TITLE", text(b, "title", "TITLE"));
        return f;
    }

    static Map<String, Object> lead(JsonNode b) {
        Map<String, Object> f = common(b);
        f.put("TITLE", text(b, "title", "TITLE"));
        if (text(b, "name", "NAME") != null) {
            f.put("NAME", text(b, "name", "NAME"));
        }
        if (text(b, "sourceId", "SOURCE_ID") != null) {
            f.put("SOURCE_ID", text(b, "sourceId", "SOURCE_ID"));
        }
        if (text(b, "statusId", "STATUS_ID") != null) {
            f.put("STATUS_ID", text(b, "statusId", "STATUS_ID"));
        }
        return f;
    }
}
