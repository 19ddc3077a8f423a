package io.b24bridge.bitrix;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** The CRM, user and event methods the appliance uses (contract §3, §4). */
public final class CrmApi {

    private final BoxClient client;

    public CrmApi(BoxClient client) {
        this.client = client;
    }

    /** A Bitrix24 user as telephony needs them: id, name, extension and phones. */
    public record User(int id, String name, String extension, String mobile, String workPhone, boolean active) {
    }

    /** Every active user that has an extension (user.get, all pages). */
    public List<User> usersWithExtensions() throws BoxException {
        return activeUsers().stream().filter(u -> u.extension() != null).toList();
    }

    /**
     * Every active user, with or without an extension (user.get FILTER ACTIVE, all pages of 50): whom a route's
     * default responsible may be, picked in the panel.
     */
    public List<User> activeUsers() throws BoxException {
        List<User> users = new ArrayList<>();
        int start = 0;
        while (true) {
            BoxClient.Answer a = client.answer("user.get", Params.of()
                    .put("FILTER", Params.fields("ACTIVE", "true"))
                    .put("start", start));
            for (JsonNode u : a.result()) {
                String name = (u.path("NAME").asText("") + " " + u.path("LAST_NAME").asText("")).strip();
                users.add(new User(u.path("ID").asInt(), name, TelephonyApi.text(u, "UF_PHONE_INNER"),
                        TelephonyApi.text(u, "PERSONAL_MOBILE"), TelephonyApi.text(u, "WORK_PHONE"),
                        !"false".equalsIgnoreCase(u.path("ACTIVE").asText("true"))));
            }
            if (a.next() == null) {
                return users;
            }
            start = a.next();
        }
    }

    /** The user with this extension (user.get by UF_PHONE_INNER), if any. */
    public Optional<User> userByExtension(String extension) throws BoxException {
        JsonNode res = client.call("user.get", Params.of()
                .put("FILTER", Params.fields("UF_PHONE_INNER", extension, "ACTIVE", "true")));
        for (JsonNode u : res) {
            String name = (u.path("NAME").asText("") + " " + u.path("LAST_NAME").asText("")).strip();
            return Optional.of(new User(u.path("ID").asInt(), name, extension,
                    TelephonyApi.text(u, "PERSONAL_MOBILE"), TelephonyApi.text(u, "WORK_PHONE"), true));
        }
        return Optional.empty();
    }

    /** One field of a user's profile as text (user.get by ID), e.g. a mobile kept in a UF_ field; empty if unset. */
    public Optional<String> userField(int userId, String field) throws BoxException {
        JsonNode res = client.call("user.get", Params.of().put("FILTER", Params.fields("ID", userId)));
        for (JsonNode u : res) {
            return Optional.ofNullable(TelephonyApi.text(u, field));
        }
        return Optional.empty();
    }

    /** The lead sources (crm.status.list, ENTITY_ID=SOURCE): STATUS_ID → NAME. */
    public Map<String, String> leadSources() throws BoxException {
        JsonNode res = client.call("crm.status.list", Params.of().put("filter", Params.fields("ENTITY_ID", "SOURCE")));
        Map<String, String> sources = new LinkedHashMap<>();
        for (JsonNode s : res) {
            sources.put(s.path("STATUS_ID").asText(), s.path("NAME").asText());
        }
        return sources;
    }

    /** crm.status.add: a new lead source for static call tracking. */
    public void addLeadSource(String statusId, String name) throws BoxException {
        client.call("crm.status.add", Params.of().put("fields",
                Params.fields("ENTITY_ID", "SOURCE", "STATUS_ID", statusId, "NAME", name)));
    }

    /** crm.timeline.comment.add on a CRM entity (e.g. a rating that came after finish); returns the comment id. */
    public Integer addTimelineComment(String entityType, int entityId, String comment) throws BoxException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ENTITY_TYPE", entityType.toLowerCase(Locale.ROOT));
        fields.put("ENTITY_ID", entityId);
        fields.put("COMMENT", comment);
        JsonNode res = client.call("crm.timeline.comment.add", Params.of().put("fields", fields));
        return res.isNumber() ? res.asInt() : TelephonyApi.integer(res, "ID");
    }

    /** One comment on a CRM entity's timeline: its id and text. */
    public record TimelineComment(int id, String comment) {
    }

    /**
     * The latest comments on a CRM entity's timeline, newest first: the first page of crm.timeline.comment.list
     * (filter ENTITY_TYPE and ENTITY_ID, both required; pages of 50).
     */
    public List<TimelineComment> latestTimelineComments(String entityType, int entityId) throws BoxException {
        JsonNode res = client.call("crm.timeline.comment.list", Params.of()
                .put("filter", Params.fields("ENTITY_TYPE", entityType.toLowerCase(Locale.ROOT), "ENTITY_ID", entityId))
                .put("select", List.of("ID", "COMMENT"))
                .put("order", Params.fields("ID", "DESC")));
        List<TimelineComment> comments = new ArrayList<>();
        for (JsonNode c : res) {
            comments.add(new TimelineComment(c.path("ID").asInt(), c.path("COMMENT").asText("")));
        }
        return comments;
    }

    /**
     * tasks.task.add: a task, bound to CRM entities ({@code L_12}, {@code C_3}, {@code CO_5}, {@code D_7}).
     *
     * @return the task id
     */
    public Integer addTask(String title, String description, int responsibleId, OffsetDateTime deadline,
                           List<String> crmBindings) throws BoxException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", title);
        fields.put("DESCRIPTION", description);
        fields.put("RESPONSIBLE_ID", responsibleId);
        if (deadline != null) {
            fields.put("DEADLINE", deadline.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        if (!crmBindings.isEmpty()) {
            fields.put("UF_CRM_TASK", crmBindings);
        }
        JsonNode res = client.call("tasks.task.add", Params.of().put("fields", fields));
        return TelephonyApi.integer(res.path("task"), "id");
    }

    /** event.bind: the box will POST {@code event} to {@code handler}. */
    public void bindEvent(String event, String handler) throws BoxException {
        client.call("event.bind", Params.of().put("event", event).put("handler", handler));
    }

    /** The handlers bound by this application (event.get): event name → handler URLs. */
    public Map<String, List<String>> boundEvents() throws BoxException {
        JsonNode res = client.call("event.get", Params.of());
        Map<String, List<String>> bound = new LinkedHashMap<>();
        for (JsonNode e : res) {
            bound.computeIfAbsent(e.path("event").asText().toUpperCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(e.path("handler").asText());
        }
        return bound;
    }
}
