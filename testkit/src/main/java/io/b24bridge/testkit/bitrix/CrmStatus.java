package io.b24bridge.testkit.bitrix;

import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code crm.status} entry; lead sources are those with ENTITY_ID = SOURCE (§4). */
public record CrmStatus(int id, String entityId, String statusId, String name, int sort, boolean system) {

    Map<String, Object> rest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", String.valueOf(id));
        m.put("ENTITY_ID", entityId);
        m.put("STATUS_ID", statusId);
        m.put("NAME", name);
        m.put("NAME_INIT", system ? name : "");
        m.put("SORT", String.valueOf(sort));
        m.put("SYSTEM", system ? "Y" : "N");
        return m;
    }
}
