package io.b24bridge.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Templates of the tasks made for missed calls. */
public record TaskTemplates(List<Template> templates) implements SectionValue {

    public static final TaskTemplates DEFAULT = new TaskTemplates(List.of());

    /** Placeholders a title or description may use; filled from the call when the task is made. */
    public static final Set<String> PLACEHOLDERS = Set.of(
            "phone", "did", "route", "date", "time", "responsible", "entityType", "entityId", "entityName",
            "waitSeconds");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public TaskTemplates {
        templates = templates == null ? List.of() : List.copyOf(templates);
    }

    /**
     * @param id                    a short key ({@code missed-call})
     * @param enabled               whether tasks are made from it
     * @param title                 task title, with placeholders like {@code {phone}}
     * @param description           task description, with placeholders
     * @param deadlineOffsetMinutes the deadline, counted from the missed call
     * @param responsibleRule       who gets the task
     * @param fixedUserId           the user for {@link ResponsibleRule#FIXED_USER}
     * @param entityTypes           the CRM entity types of callers this template applies to
     */
    public record Template(String id, Boolean enabled, String title, String description,
                           Integer deadlineOffsetMinutes, ResponsibleRule responsibleRule, Integer fixedUserId,
                           List<EntityType> entityTypes) {

        public Template {
            enabled = Objects.requireNonNullElse(enabled, Boolean.TRUE);
            description = Objects.requireNonNullElse(description, "");
            deadlineOffsetMinutes = Objects.requireNonNullElse(deadlineOffsetMinutes, 60);
            responsibleRule = Objects.requireNonNullElse(responsibleRule, ResponsibleRule.CRM_RESPONSIBLE);
            entityTypes = entityTypes == null ? List.of(EntityType.LEAD, EntityType.CONTACT, EntityType.COMPANY)
                    : Collections.unmodifiableList(new ArrayList<>(entityTypes));
        }

        void validate(Problems p) {
            if (p.required("id", id) && !ID.matcher(id).matches()) {
                p.add("id", "must be lower-case letters, digits and -, e.g. missed-call");
            }
            if (p.required("title", title)) {
                p.text("title", title, 255);
                placeholders(p, "title", title);
            }
            p.text("description", description, 4000);
            placeholders(p, "description", description);
            p.range("deadlineOffsetMinutes", deadlineOffsetMinutes, 1, 43_200);
            if (responsibleRule == ResponsibleRule.FIXED_USER) {
                if (p.required("fixedUserId", fixedUserId)) {
                    p.positiveId("fixedUserId", fixedUserId);
                }
            } else if (fixedUserId != null) {
                p.add("fixedUserId", "is only used with responsibleRule FIXED_USER");
            }
            if (entityTypes.isEmpty()) {
                p.add("entityTypes", "must name at least one of " + EnumSet.allOf(EntityType.class));
            }
            if (entityTypes.stream().anyMatch(Objects::isNull)) { // List.of(...).contains(null) throws
                p.add("entityTypes", "has an empty entry");
            }
        }

        private static void placeholders(Problems p, String field, String text) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    p.add(field, "has unknown placeholder {" + m.group(1) + "}; known: "
                            + PLACEHOLDERS.stream().sorted().map(s -> "{" + s + "}").toList());
                }
            }
        }
    }

    /** Who is made responsible for a missed-call task. */
    public enum ResponsibleRule {
        /** the client's responsible in the CRM; the route's default responsible for unknown callers */
        CRM_RESPONSIBLE,
        /** the route's default responsible */
        ROUTE_DEFAULT,
        /** the last user whose phone rang */
        LAST_RINGING,
        /** always the same user */
        FIXED_USER
    }

    /** CRM entity types a caller can be bound to. */
    public enum EntityType { LEAD, CONTACT, COMPANY, DEAL }

    @Override
    public void validate(Problems p) {
        p.maxItems("templates", templates, 100);
        for (int i = 0; i < templates.size(); i++) {
            if (templates.get(i) == null) {
                p.add("templates[" + i + "]", "is empty");
                continue;
            }
            templates.get(i).validate(p.at("templates", i));
        }
        p.unique("templates", "id", templates.stream().map(t -> t == null ? null : t.id()).toList());
    }
}
