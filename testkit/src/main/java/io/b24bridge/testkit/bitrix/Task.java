package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task from {@code tasks.task.add} (§4); {@code crmBindings} are {@code UF_CRM_TASK} values like {@code L_12}. */
public record Task(int id, String title, String description, int responsibleId, String deadline,
                   List<String> crmBindings, int createdBy, Instant createdAt) {

    public Task {
        crmBindings = List.copyOf(crmBindings);
    }

    /** tasks.task.* answer in camelCase with string ids. */
    Map<String, Object> rest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(id));
        m.put("title", title);
        m.put("description", description);
        m.put("responsibleId", String.valueOf(responsibleId));
        m.put("createdBy", String.valueOf(createdBy));
        m.put("createdDate", Dates.format(createdAt));
        m.put("deadline", deadline);
        m.put("status", "2");
        m.put("ufCrmTask", crmBindings);
        return m;
    }
}
