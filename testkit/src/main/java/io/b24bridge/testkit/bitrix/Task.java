package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task from {@code tasks.task.add} (§4); {@code crmBindings} are {@code UF_CRM_TASK} values like {@code L_12}.
 * {@code status} is the tasks module's REAL_STATUS ({@code tasks/lib/internals/task/status.php}: 2 PENDING, 5
 * COMPLETED); {@code updates} counts the tasks.task.update calls it took (what tests assert "one task updated four
 * times" with).
 */
public record Task(int id, String title, String description, int responsibleId, String deadline,
                   List<String> crmBindings, int createdBy, Instant createdAt, int status, Instant closedAt,
                   int updates) {

    /** tasks' {@code Status::PENDING}: a new task. */
    public static final int PENDING = 2;
    /** tasks' {@code Status::COMPLETED}. */
    public static final int COMPLETED = 5;

    public Task {
        crmBindings = List.copyOf(crmBindings);
    }

    public Task(int id, String title, String description, int responsibleId, String deadline,
                List<String> crmBindings, int createdBy, Instant createdAt) {
        this(id, title, description, responsibleId, deadline, crmBindings, createdBy, createdAt, PENDING, null, 0);
    }

    public boolean completed() {
        return status == COMPLETED;
    }

    Task updated(String newTitle, String newDescription, Integer newResponsible, String newDeadline,
                 List<String> newBindings) {
        return new Task(id, newTitle != null ? newTitle : title, newDescription != null ? newDescription : description,
                newResponsible != null ? newResponsible : responsibleId, newDeadline != null ? newDeadline : deadline,
                newBindings != null ? newBindings : crmBindings, createdBy, createdAt, status, closedAt, updates + 1);
    }

    Task completedAt(Instant at) {
        return new Task(id, title, description, responsibleId, deadline, crmBindings, createdBy, createdAt, COMPLETED,
                at, updates);
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
        m.put("status", String.valueOf(status));
        m.put("closedDate", closedAt == null ? null : Dates.format(closedAt));
        m.put("ufCrmTask", crmBindings);
        return m;
    }
}
