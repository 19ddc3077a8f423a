package io.b24bridge.bitrix;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.tasks.TaskBox;

/**
 * Missed-call tasks over REST (contract §4): tasks.task.add / update / complete / get / list of the tasks module's
 * controller ({@code tasks/lib/rest/controllers/task.php} in the box's source: {@code addAction},
 * {@code updateAction}, {@code completeAction}, {@code getAction}, {@code listAction}; each answers
 * {@code {"task": {...}}} in camelCase, the list {@code {"tasks": [...]}}), and crm.{type}.get for the client's
 * name and responsible.
 */
public final class BitrixTaskBox implements TaskBox {

    /** tasks' {@code Status::COMPLETED} (tasks/lib/internals/task/status.php). */
    static final int COMPLETED = 5;

    private final BoxClient client;
    private final UserDirectory users;
    private final String base;

    public BitrixTaskBox(BoxClient client, UserDirectory users, URI boxUrl) {
        this.client = client;
        this.users = users;
        String url = boxUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public Card card(CrmEntity entity) throws Failure {
        String type = entity.type().toLowerCase(Locale.ROOT);
        try {
            JsonNode r = client.call("crm." + type + ".get", Params.of().put("id", entity.id()));
            String name = type.equals("contact")
                    ? (r.path("NAME").asText("") + " " + r.path("LAST_NAME").asText("")).strip()
                    : r.path("TITLE").asText("");
            if (name.isBlank()) {
                name = (r.path("NAME").asText("") + " " + r.path("LAST_NAME").asText("")).strip();
            }
            return new Card(name, TelephonyApi.integer(r, "ASSIGNED_BY_ID"));
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public String link(CrmEntity entity) {
        return base + "/crm/" + entity.type().toLowerCase(Locale.ROOT) + "/details/" + entity.id() + "/";
    }

    @Override
    public Optional<Integer> userOfExtension(String extension) throws Failure {
        try {
            return users.byExtension(extension).map(CrmApi.User::id);
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public String userName(int userId) throws Failure {
        try {
            return users.byId(userId).map(CrmApi.User::name).orElse("");
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public int add(String title, String description, int responsibleId, Instant deadline, String binding)
            throws Failure {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", title);
        fields.put("DESCRIPTION", description);
        fields.put("RESPONSIBLE_ID", responsibleId); // required by the box ("Responsible person not specified")
        fields.put("DEADLINE", deadline.atZone(ZoneId.systemDefault()).toOffsetDateTime()
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        fields.put("UF_CRM_TASK", java.util.List.of(binding));
        try {
            JsonNode res = client.call("tasks.task.add", Params.of().put("fields", fields));
            Integer id = TelephonyApi.integer(res.path("task"), "id");
            if (id == null) {
                throw new Failure(Failure.Kind.REJECTED, "NO_TASK_ID", "tasks.task.add answered without a task id",
                        null);
            }
            return id;
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public void update(int taskId, String title, String description) throws Failure {
        try {
            client.call("tasks.task.update", Params.of().put("taskId", taskId)
                    .put("fields", Params.fields("TITLE", title, "DESCRIPTION", description)));
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public void complete(int taskId) throws Failure {
        try {
            client.call("tasks.task.complete", Params.of().put("taskId", taskId));
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public boolean completed(int taskId) throws Failure {
        try {
            JsonNode task = client.call("tasks.task.get", Params.of().put("taskId", taskId)).path("task");
            return task.path("status").asInt(0) == COMPLETED;
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }

    @Override
    public Optional<Integer> findMarked(String binding, String mark) throws Failure {
        try {
            JsonNode res = client.call("tasks.task.list", Params.of()
                    .put("filter", Params.fields("UF_CRM_TASK", binding))
                    .put("select", java.util.List.of("ID", "DESCRIPTION", "UF_CRM_TASK")));
            for (JsonNode t : res.path("tasks")) {
                if (t.path("description").asText("").contains(mark)) {
                    return Optional.of(t.path("id").asInt());
                }
            }
            return Optional.empty();
        } catch (BoxException e) {
            throw BitrixBoxGateway.failure(e);
        }
    }
}
