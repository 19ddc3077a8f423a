package io.b24bridge.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Templates of the tasks made for missed calls of known clients, and how those tasks live: one open task per
 * caller within {@code windowMinutes} (further misses update it: "tried 5 times"), what a later answered or
 * returned call does to it ({@code onReturnedCall}), and the working time a deadline is counted in.
 */
public record TaskTemplates(List<Template> templates, Integer windowMinutes, ReturnedCall onReturnedCall,
                            WorkingHours workingHours) implements SectionValue {

    public static final TaskTemplates DEFAULT = new TaskTemplates(List.of());

    /** Placeholders a title or description may use; filled from the call when the task is made. */
    public static final Set<String> PLACEHOLDERS = Set.of(
            "phone", "did", "route", "date", "time", "responsible", "entityType", "entityId", "entityName",
            "entityLink", "tries", "firstTime", "waitSeconds");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public TaskTemplates {
        templates = templates == null ? List.of() : List.copyOf(templates);
        windowMinutes = Objects.requireNonNullElse(windowMinutes, 1440);
        onReturnedCall = Objects.requireNonNullElse(onReturnedCall, ReturnedCall.COMPLETE);
        workingHours = Objects.requireNonNullElse(workingHours, WorkingHours.DEFAULT);
    }

    public TaskTemplates(List<Template> templates) {
        this(templates, null, null, null);
    }

    /** The first enabled template for a caller bound to this entity type, if any. */
    public java.util.Optional<Template> templateFor(EntityType type) {
        return templates.stream().filter(t -> t.enabled() && t.entityTypes().contains(type)).findFirst();
    }

    /** Whether any template makes tasks at all (else missed calls are only recorded). */
    public boolean anyEnabled() {
        return templates.stream().anyMatch(Template::enabled);
    }

    /** What a later answered call from the caller, or a call back to them that was answered, does to their task. */
    public enum ReturnedCall {
        /** tasks.task.complete: the client has been reached */
        COMPLETE,
        /** a line in the task's description says when and how the client was reached; the task stays open */
        ANNOTATE,
        /** nothing */
        NOTHING
    }

    /**
     * The working time a task's deadline is counted in: {@code start}–{@code end} (HH:mm) on {@code days}, in
     * {@code timeZone} (empty: the appliance's own).
     */
    public record WorkingHours(String start, String end, List<java.time.DayOfWeek> days, String timeZone) {

        public static final WorkingHours DEFAULT = new WorkingHours(null, null, null, null);

        public WorkingHours {
            start = Objects.requireNonNullElse(start, "09:00");
            end = Objects.requireNonNullElse(end, "18:00");
            days = days == null ? List.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.TUESDAY,
                    java.time.DayOfWeek.WEDNESDAY, java.time.DayOfWeek.THURSDAY, java.time.DayOfWeek.FRIDAY)
                    : Collections.unmodifiableList(new ArrayList<>(days));
        }

        void validate(Problems p) {
            java.time.LocalTime from = time(p, "start", start);
            java.time.LocalTime to = time(p, "end", end);
            if (from != null && to != null && !from.isBefore(to)) {
                p.add("end", "must be after start (" + start + ")");
            }
            if (days.isEmpty() || days.stream().anyMatch(Objects::isNull)) {
                p.add("days", "must name at least one day, e.g. [\"MONDAY\", \"FRIDAY\"], and no empty entry");
            }
            if (timeZone != null && !timeZone.isBlank()) {
                try {
                    java.time.ZoneId.of(timeZone);
                } catch (java.time.DateTimeException e) {
                    p.add("timeZone", "is not a time zone (e.g. Europe/Moscow): " + timeZone);
                }
            }
        }

        private static java.time.LocalTime time(Problems p, String field, String value) {
            try {
                return java.time.LocalTime.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                p.add(field, "must be a time of day as HH:mm, e.g. 09:00");
                return null;
            }
        }
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
        p.range("windowMinutes", windowMinutes, 1, 43_200);
        workingHours.validate(p.at("workingHours"));
    }
}
