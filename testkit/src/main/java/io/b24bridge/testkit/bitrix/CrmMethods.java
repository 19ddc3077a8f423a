package io.b24bridge.testkit.bitrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The supporting methods of §4: user.get, crm.duplicate.findbycomm, crm.lead/contact/company, crm.status,
 * crm.activity, crm.timeline.comment.add, tasks.task.*. IDs come back as strings where PHP gives strings
 * (get/list fields), as numbers where the docs show numbers (add results, duplicate ids).
 */
final class CrmMethods {

    /** Parameters of user.get that are not filter fields. */
    private static final Set<String> USER_GET_RESERVED = Set.of("AUTH", "FILTER", "SORT", "ORDER", "START",
            "ADMIN_MODE");

    private final CrmState state;
    private final Supplier<String> baseUrl;

    CrmMethods(CrmState state, Supplier<String> baseUrl) {
        this.state = state;
        this.baseUrl = baseUrl;
    }

    // ---- users ----

    /** Filters from {@code FILTER[...]} or top-level fields (both forms exist); ACTIVE matches true/Y/1. */
    Reply userGet(Invocation inv) {
        Map<String, Object> filter = new LinkedHashMap<>();
        inv.args().raw().forEach((k, v) -> {
            if (!USER_GET_RESERVED.contains(k.toUpperCase(Locale.ROOT))) {
                filter.put(k, v);
            }
        });
        filter.putAll(inv.args().map("FILTER"));
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (User u : s.users.values()) {
                Map<String, Object> row = u.rest();
                if (CrmQuery.matches(row, filter)) {
                    rows.add(row);
                }
            }
            return Reply.page(rows, inv.args().integer("start"));
        });
    }

    Reply profile(Invocation inv) {
        return state.tx(s -> {
            User u = s.user(inv.caller().userId()).orElseThrow(() -> RestError.of("ACCESS_DENIED", "Access denied"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", String.valueOf(u.id()));
            m.put("ADMIN", u.id() == 1);
            m.put("NAME", u.name());
            m.put("LAST_NAME", u.lastName());
            m.put("PERSONAL_GENDER", "");
            m.put("TIME_ZONE", "");
            m.put("TIME_ZONE_OFFSET", 0);
            return Reply.of(m);
        });
    }

    // ---- duplicates ----

    Reply findByComm(Invocation inv) {
        Args a = inv.args();
        String type = a.text("type").toUpperCase(Locale.ROOT);
        // RestExceptions without a code; more than 20 values: the first 20 (crm/classes/general/restservice.php:10176-10243)
        if (type.isEmpty()) {
            throw RestError.noCode("Communication type is not defined.");
        }
        if (!type.equals("PHONE") && !type.equals("EMAIL")) {
            throw RestError.noCode("Communication type '" + type + "' is not supported in current context.");
        }
        List<Object> all = a.list("values");
        if (all.isEmpty()) {
            throw RestError.noCode("Communication values is not defined.");
        }
        List<Object> values = all.size() > 20 ? all.subList(0, 20) : all;
        List<EntityType> types = a.text("entity_type").isEmpty()
                ? List.of(EntityType.LEAD, EntityType.CONTACT, EntityType.COMPANY)
                : List.of(EntityType.parse(a.text("entity_type"))
                        .orElseThrow(() -> RestError.argument("The parameter 'entity_type' is invalid.")));
        return state.tx(s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (EntityType t : types) {
                List<Integer> ids = new ArrayList<>();
                for (CrmEntity e : s.of(t).values()) {
                    Map<String, Object> filter = Map.of(type, values);
                    if (CrmQuery.matches(e.fields(), filter)) {
                        ids.add(e.id());
                    }
                }
                if (!ids.isEmpty()) {
                    out.put(t.name(), ids);
                }
            }
            // PHP's empty array is [] in JSON
            return Reply.of(out.isEmpty() ? List.of() : out);
        });
    }

    // ---- leads, contacts, companies ----

    Reply add(EntityType type, Invocation inv) {
        Map<String, Object> fields = inv.args().map("fields");
        if (fields.isEmpty()) {
            throw RestError.argument("The parameter 'fields' must be array.");
        }
        return state.tx(s -> Reply.of(s.addEntity(type, null, fields, inv.caller().userId()).id()));
    }

    Reply get(EntityType type, Invocation inv) {
        int id = id(inv.args());
        return state.tx(s -> Reply.of(new LinkedHashMap<>(s.entity(type, id)
                .orElseThrow(() -> RestError.noCode("Not found")).fields())));
    }

    Reply update(EntityType type, Invocation inv) {
        int id = id(inv.args());
        Map<String, Object> fields = inv.args().map("fields");
        return state.tx(s -> {
            CrmEntity e = s.entity(type, id).orElseThrow(() -> RestError.noCode("Not found"));
            s.updateEntity(e, fields);
            return Reply.of(true);
        });
    }

    Reply list(EntityType type, Invocation inv) {
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CrmEntity e : s.of(type).values()) {
                rows.add(e.fields());
            }
            return CrmQuery.list(rows, inv.args());
        });
    }

    private static int id(Args a) {
        Integer id = a.integer("id");
        if (id == null || id <= 0) {
            throw RestError.noCode("ID is not defined or invalid.");
        }
        return id;
    }

    // ---- lead sources ----

    Reply statusList(Invocation inv) {
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CrmStatus st : s.statuses) {
                rows.add(st.rest());
            }
            Reply r = CrmQuery.list(rows, inv.args());
            return new Reply(r.result(), r.total(), null); // crm.status.list is not paged
        });
    }

    Reply statusAdd(Invocation inv) {
        Map<String, Object> f = Args.caseless(inv.args().map("fields"));
        for (String required : List.of("ENTITY_ID", "STATUS_ID", "NAME")) {
            if (Args.str(f.get(required)) == null || Args.str(f.get(required)).isBlank()) {
                throw RestError.argument("The field '" + required + "' is required.");
            }
        }
        String entityId = Args.str(f.get("ENTITY_ID")).strip();
        String statusId = Args.str(f.get("STATUS_ID")).strip();
        Integer sort = f.get("SORT") == null ? null : Args.intval(f.get("SORT"));
        return state.tx(s -> {
            boolean exists = s.statuses(entityId).stream().anyMatch(x -> x.statusId().equalsIgnoreCase(statusId));
            if (exists) {
                throw RestError.core("STATUS_ID '" + statusId + "' already exists in " + entityId);
            }
            return Reply.of(s.addStatus(entityId, statusId, Args.str(f.get("NAME")), sort).id());
        });
    }

    // ---- activities ----

    Reply activityList(Invocation inv) {
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Activity act : s.activities.values()) {
                rows.add(act.rest(baseUrl.get()));
            }
            return CrmQuery.list(rows, inv.args());
        });
    }

    Reply activityGet(Invocation inv) {
        int id = id(inv.args());
        return state.tx(s -> {
            Activity act = s.activities.get(id);
            if (act == null) {
                throw RestError.noCode("Not found");
            }
            return Reply.of(act.rest(baseUrl.get()));
        });
    }

    // ---- timeline ----

    Reply commentAdd(Invocation inv) {
        Map<String, Object> f = Args.caseless(inv.args().map("fields"));
        String entityType = Args.str(f.get("ENTITY_TYPE"));
        if (entityType == null || entityType.isBlank()) {
            throw RestError.argument("The field 'ENTITY_TYPE' is required.");
        }
        Integer entityId = f.get("ENTITY_ID") == null ? null : Args.intval(f.get("ENTITY_ID"));
        if (entityId == null || entityId <= 0) {
            throw RestError.argument("The field 'ENTITY_ID' is required.");
        }
        String comment = Args.str(f.get("COMMENT"));
        if (comment == null || comment.isBlank()) {
            throw RestError.argument("The field 'COMMENT' is required.");
        }
        EntityType type = EntityType.parse(entityType)
                .orElseThrow(() -> RestError.argument("The field 'ENTITY_TYPE' is invalid: " + entityType));
        return state.tx(s -> {
            if (type != EntityType.DEAL && s.entity(type, entityId).isEmpty()) {
                throw RestError.noCode("Entity not found: " + type.name() + " " + entityId);
            }
            TimelineComment c = new TimelineComment(s.next("comment"), type, entityId, comment,
                    inv.caller().userId(), s.now());
            s.comments.put(c.id(), c);
            return Reply.of(c.id());
        });
    }

    /**
     * crm.timeline.comment.list: an entity's comments, ENTITY_ID and ENTITY_TYPE required in the filter (REST docs,
     * api-reference/crm/timeline/comments/crm-timeline-comment-list.md); fields ID, CREATED, ENTITY_ID,
     * ENTITY_TYPE (lower case, as given to add), AUTHOR_ID, COMMENT; {@code order} by ID, CREATED or AUTHOR_ID;
     * pages of 50. The text of the error for a missing filter field is the emulator's own.
     */
    Reply commentList(Invocation inv) {
        Map<String, Object> filter = Args.caseless(inv.args().map("filter"));
        for (String required : List.of("ENTITY_ID", "ENTITY_TYPE")) {
            if (Args.str(filter.get(required)) == null || Args.str(filter.get(required)).isBlank()) {
                throw RestError.argument("The filter field '" + required + "' is required.");
            }
        }
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TimelineComment c : s.comments.values()) {
                rows.add(c.rest());
            }
            return CrmQuery.list(rows, inv.args());
        });
    }

    // ---- tasks ----

    Reply taskAdd(Invocation inv) {
        Map<String, Object> f = Args.caseless(inv.args().map("fields"));
        String title = Args.str(f.get("TITLE"));
        if (title == null || title.isBlank()) {
            throw RestError.core("The field 'TITLE' is required: a task needs a title.");
        }
        Object resp = f.get("RESPONSIBLE_ID");
        int responsible = resp == null ? inv.caller().userId() : Args.intval(resp);
        List<String> bindings = new ArrayList<>();
        for (Object o : Args.asList(f.get("UF_CRM_TASK"))) {
            bindings.add(Args.str(o));
        }
        String deadline = Args.str(f.get("DEADLINE"));
        if (deadline != null && !deadline.isBlank() && Dates.parse(deadline) == null) {
            throw RestError.core("The field 'DEADLINE' is not a date: " + deadline);
        }
        return state.tx(s -> {
            if (s.user(responsible).isEmpty()) {
                throw RestError.core("The responsible person (RESPONSIBLE_ID " + responsible + ") is not found.");
            }
            Task t = new Task(s.next("task"), title, nz(Args.str(f.get("DESCRIPTION"))), responsible, deadline,
                    bindings, inv.caller().userId(), s.now());
            s.tasks.put(t.id(), t);
            return Reply.of(Map.of("task", t.rest()));
        });
    }

    Reply taskGet(Invocation inv) {
        int taskId = taskId(inv);
        return state.tx(s -> Reply.of(Map.of("task", task(s, taskId).rest())));
    }

    /**
     * tasks.task.update (taskId, fields): the given fields change, the answer is the task as tasks.task.get gives
     * it ({@code updateAction} returns {@code getAction($task)}, tasks/lib/rest/controllers/task.php).
     */
    Reply taskUpdate(Invocation inv) {
        int taskId = taskId(inv);
        Map<String, Object> f = Args.caseless(inv.args().map("fields"));
        String deadline = Args.str(f.get("DEADLINE"));
        if (deadline != null && !deadline.isBlank() && Dates.parse(deadline) == null) {
            throw RestError.core("The field 'DEADLINE' is not a date: " + deadline);
        }
        List<String> bindings = null;
        if (f.containsKey("UF_CRM_TASK")) {
            bindings = new ArrayList<>();
            for (Object o : Args.asList(f.get("UF_CRM_TASK"))) {
                bindings.add(Args.str(o));
            }
        }
        Object resp = f.get("RESPONSIBLE_ID");
        Integer responsible = resp == null ? null : Args.intval(resp);
        List<String> newBindings = bindings;
        return state.tx(s -> {
            Task t = task(s, taskId);
            if (responsible != null && s.user(responsible).isEmpty()) {
                throw RestError.core("The responsible person (RESPONSIBLE_ID " + responsible + ") is not found.");
            }
            Task u = t.updated(Args.str(f.get("TITLE")), Args.str(f.get("DESCRIPTION")), responsible, deadline,
                    newBindings);
            s.tasks.put(taskId, u);
            return Reply.of(Map.of("task", u.rest()));
        });
    }

    /**
     * tasks.task.complete (taskId): the task's status becomes 5 (COMPLETED); the answer is the task
     * ({@code completeAction} → {@code $task->complete()} → {@code getAction}, tasks/lib/rest/controllers/task.php).
     * A task completed already cannot be completed again: the box's {@code CTaskItem::complete} refuses the action
     * (its access check, ACTION_COMPLETE), answered as an error with an empty code.
     */
    Reply taskComplete(Invocation inv) {
        int taskId = taskId(inv);
        return state.tx(s -> {
            Task t = task(s, taskId);
            if (t.completed()) {
                // completeAction wraps the exception as new Error($e->getMessage()): no code
                throw RestError.of("", "Action not allowed: the task is completed already");
            }
            Task done = t.completedAt(s.now());
            s.tasks.put(taskId, done);
            return Reply.of(Map.of("task", done.rest()));
        });
    }

    private static int taskId(Invocation inv) {
        Integer id = inv.args().integer("taskId");
        if (id == null) {
            id = inv.args().integer("id");
        }
        if (id == null || id <= 0) {
            throw RestError.core("The parameter 'taskId' is required.");
        }
        return id;
    }

    private static Task task(CrmState s, int taskId) {
        Task t = s.tasks.get(taskId);
        if (t == null) {
            throw RestError.core("Task not found or not accessible");
        }
        return t;
    }

    /**
     * tasks.task.list: {@code filter} keys may be written RESPONSIBLE_ID or responsibleId (the tasks API answers in
     * camelCase); the answer is {@code {"tasks": [...]}} with total and next.
     */
    Reply taskList(Invocation inv) {
        Map<String, Object> filter = new LinkedHashMap<>();
        inv.args().map("filter").forEach((k, v) -> filter.put(taskKey(k), v));
        // UF_CRM_TASK is a multiple field: a task matches when any of its bindings is one of the wanted
        List<String> bindings = new ArrayList<>();
        Object wanted = filter.remove("UFCRMTASK");
        if (wanted != null) {
            Args.asList(wanted).forEach(o -> bindings.add(Args.str(o)));
        }
        return state.tx(s -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Task t : s.tasks.values()) {
                if (wanted != null && t.crmBindings().stream().noneMatch(bindings::contains)) {
                    continue;
                }
                Map<String, Object> row = t.rest();
                Map<String, Object> keyed = new LinkedHashMap<>();
                row.forEach((k, v) -> keyed.put(taskKey(k), v));
                if (CrmQuery.matches(keyed, filter)) {
                    rows.add(row);
                }
            }
            Reply page = Reply.page(rows, inv.args().integer("start"));
            return new Reply(Map.of("tasks", page.result()), page.total(), page.next());
        });
    }

    /** RESPONSIBLE_ID, responsibleId and >=responsibleId all compare as one name (operators kept in front). */
    private static String taskKey(String k) {
        int i = 0;
        while (i < k.length() && "!=<>%@".indexOf(k.charAt(i)) >= 0) {
            i++;
        }
        return k.substring(0, i) + k.substring(i).replace("_", "").toUpperCase(Locale.ROOT);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
