package io.b24bridge.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway.Failure;
import io.b24bridge.outbox.OutboxQueue;
import io.b24bridge.outbox.TaskCommands;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.TaskTemplates;
import io.b24bridge.settings.TaskTemplates.Template;
import io.b24bridge.store.Database;
import io.b24bridge.tasks.MissedCallTaskStore.Row;
import io.b24bridge.tasks.MissedCallTaskStore.State;

/**
 * Missed calls of known clients become tasks (settings, task-templates), one open task per caller within the
 * window: a caller who tried five times has one task that says five. The outbox hands over each call's
 * {@link CrmCommand.MissedCallTask} after its finish (register has told the caller's entity by then) and each
 * {@link CrmCommand.CallerReached}; while the box is away they wait there, and go once it is back.
 * <p>
 * Safe to repeat by construction: each task has the appliance's key, stored before tasks.task.add goes and written
 * into the task's description as a mark; an add whose answer was lost is looked for by that mark before it is sent
 * again. A missed call is counted once ({@code MISSED_CALL_TRIES}); the title and description are rendered whole
 * from the stored count, so a repeated update says the same. One command at a time: two missed calls of one caller
 * sent in parallel must not both find "no open task".
 */
public final class MissedCallTasks implements TaskCommands {

    private static final Logger LOG = Logger.getLogger(MissedCallTasks.class.getName());
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private final MissedCallTaskStore store;
    private final TaskBox box;
    private final Supplier<Settings> settings;

    public MissedCallTasks(Database db, TaskBox box, Supplier<Settings> settings) {
        this.store = new MissedCallTaskStore(db);
        this.box = box;
        this.settings = settings;
    }

    @Override
    public void send(OutboxQueue.Entry e, CrmEntity entity) throws Failure {
        handle(e.command(), entity);
    }

    /** One task command, with the CRM entity register bound its call to (null when none). */
    public synchronized void handle(CrmCommand command, CrmEntity entity) throws Failure {
        switch (command) {
            case CrmCommand.MissedCallTask m -> missed(m, entity);
            case CrmCommand.CallerReached r -> reached(r);
            default -> throw new IllegalArgumentException("not a task command: " + command);
        }
    }

    private void missed(CrmCommand.MissedCallTask m, CrmEntity entity) throws Failure {
        String callKey = m.call().externalCallId();
        Optional<Row> counted = store.ofCall(callKey);
        if (counted.isPresent()) {
            deliver(counted.get()); // a repeat (a crash cut in): make sure the box shows what is stored
            return;
        }
        if (entity == null || entity.createdByCall()) {
            // unknown number: the lead register made is the answer (or no lead at all); no task
            LOG.fine(() -> "missed call " + m.call() + " from " + m.clientNumber() + ": not a known client, no task");
            return;
        }
        TaskTemplates tt = settings.get().taskTemplates();
        Optional<TaskTemplates.EntityType> type = entityType(entity);
        Optional<Template> template = type.flatMap(tt::templateFor);
        if (template.isEmpty()) {
            LOG.fine(() -> "missed call " + m.call() + ": no enabled template for " + entity.type() + ", no task");
            return;
        }
        String caller = digits(m.clientNumber());
        Optional<Instant> reached = store.reachedAt(caller);
        if (reached.isPresent() && !reached.get().isBefore(m.missedAt())) {
            LOG.info(() -> "missed call " + m.call() + " from " + m.clientNumber() + ": the caller was reached since ("
                    + reached.get() + "), no task");
            return;
        }
        Instant since = m.missedAt().minus(Duration.ofMinutes(tt.windowMinutes()));
        Optional<Row> open = store.openSince(caller, since);
        if (open.isPresent()) {
            store.count(open.get().key(), callKey, m.missedAt(), m.waitSeconds());
        } else {
            TaskBox.Card card = box.card(entity);
            int responsible = responsible(template.get(), m, card);
            String key = "b24t-" + callKey;
            store.create(new Row(key, caller, m.clientNumber(), entity.type(), entity.id(), template.get().id(),
                    m.did(), responsible, m.missedAt(), m.missedAt(), 1, m.waitSeconds(), State.OPEN, false, null,
                    null), callKey);
        }
        deliver(store.ofCall(callKey).orElseThrow());
    }

    /** The caller was reached: their open task is completed or annotated, by the settings. */
    private void reached(CrmCommand.CallerReached r) throws Failure {
        TaskTemplates tt = settings.get().taskTemplates();
        if (tt.onReturnedCall() == TaskTemplates.ReturnedCall.NOTHING) {
            return;
        }
        String caller = digits(r.clientNumber());
        store.reached(caller, r.at());
        for (Row row : store.open(caller)) {
            try {
                reached(r, row, tt.onReturnedCall());
            } catch (Failure f) {
                if (f.kind() != Failure.Kind.REJECTED) {
                    throw f; // the box away: the command waits in the outbox
                }
                // the task was deleted or closed by hand: nothing left to do with it, and an answered call's
                // later commands (its recording) must not wait behind a dead letter for it
                store.state(row.key(), State.CLOSED, null);
                LOG.warning(() -> "task " + row.taskId() + " of " + r.clientNumber() + " could not be completed or "
                        + "annotated (" + f.getMessage() + "): left as it is on the box");
            }
        }
    }

    private void reached(CrmCommand.CallerReached r, Row row, TaskTemplates.ReturnedCall mode) throws Failure {
        if (mode == TaskTemplates.ReturnedCall.COMPLETE) {
            if (row.taskId() == null) {
                store.state(row.key(), State.CANCELLED, null); // never made (the box was away): none is now
                LOG.info(() -> "the missed-call task of " + r.clientNumber() + " is not made: reached first");
                return;
            }
            if (!box.completed(row.taskId())) { // a repeat after a crash finds it completed
                box.complete(row.taskId());
            }
            store.state(row.key(), State.CLOSED, null);
            LOG.info(() -> "task " + row.taskId() + " completed: " + r.clientNumber() + " reached");
            return;
        }
        ZoneId zone = zone();
        String note = "Reached " + DATE.format(r.at().atZone(zone)) + " " + TIME.format(r.at().atZone(zone))
                + (r.outgoing() ? ": called back, the client answered." : ": the client called again and was answered.");
        store.state(row.key(), State.ANNOTATED, note);
        deliver(store.get(row.key()).orElseThrow());
    }

    /** Makes the box show the task as stored: adds it once, or updates its title and description. */
    private void deliver(Row row) throws Failure {
        if (row.state() == State.CANCELLED || row.state() == State.CLOSED) {
            return;
        }
        TaskTemplates tt = settings.get().taskTemplates();
        CrmEntity entity = new CrmEntity(row.entityType(), row.entityId());
        Optional<Template> template = tt.templates().stream().filter(t -> t.id().equals(row.templateId())).findFirst()
                .or(() -> entityType(entity).flatMap(tt::templateFor));
        if (template.isEmpty()) {
            LOG.warning(() -> "the template " + row.templateId() + " of the missed-call task of " + row.clientNumber()
                    + " is gone and none other fits " + row.entityType() + ": the task is left as it is");
            return;
        }
        TaskBox.Card card = box.card(entity);
        Map<String, String> values = values(row, entity, card);
        String title = TaskText.render(template.get().title(), values);
        String mark = mark(row.key());
        String description = TaskText.render(template.get().description(), values)
                + (row.reachedNote() == null ? "" : "\n\n" + row.reachedNote()) + "\n\n" + mark;
        String binding = binding(entity);
        Integer taskId = row.taskId();
        if (taskId == null && row.addTried()) {
            taskId = box.findMarked(binding, mark).orElse(null); // an add whose answer was lost
            if (taskId != null) {
                store.added(row.key(), taskId);
            }
        }
        if (taskId == null) {
            store.addTried(row.key());
            Instant deadline = WorkingTime.of(tt.workingHours()).after(row.firstAt(),
                    template.get().deadlineOffsetMinutes());
            int id = box.add(title, description, row.responsibleId(), deadline, binding);
            store.added(row.key(), id);
            LOG.info(() -> "task " + id + " for the missed call of " + row.clientNumber() + " (" + binding + ")");
        } else {
            box.update(taskId, title, description);
        }
    }

    private Map<String, String> values(Row row, CrmEntity entity, TaskBox.Card card) throws Failure {
        Settings s = settings.get();
        ZoneId zone = zone();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("phone", row.clientNumber());
        v.put("did", row.did() == null ? "" : row.did());
        v.put("route", row.did() == null ? "" : s.inboundRoutes().routeFor(row.did()).map(InboundRoutes.Route::name)
                .filter(n -> n != null && !n.isBlank()).orElse(row.did()));
        v.put("date", DATE.format(row.lastAt().atZone(zone)));
        v.put("time", TIME.format(row.lastAt().atZone(zone)));
        v.put("firstTime", DATE.format(row.firstAt().atZone(zone)) + " " + TIME.format(row.firstAt().atZone(zone)));
        v.put("tries", String.valueOf(row.tries()));
        v.put("waitSeconds", String.valueOf(row.lastWait()));
        v.put("responsible", box.userName(row.responsibleId()));
        v.put("entityType", entity.type().charAt(0) + entity.type().substring(1).toLowerCase(Locale.ROOT));
        v.put("entityId", String.valueOf(entity.id()));
        v.put("entityName", card.name() == null ? "" : card.name());
        v.put("entityLink", box.link(entity));
        return v;
    }

    /** The template's rule; a rule that names nobody falls back to the route's default, then the client's. */
    private int responsible(Template t, CrmCommand.MissedCallTask m, TaskBox.Card card) throws Failure {
        Integer client = m.clientResponsible() != null ? m.clientResponsible() : card.responsibleId();
        Integer id = switch (t.responsibleRule()) {
            case CRM_RESPONSIBLE -> client;
            case ROUTE_DEFAULT -> m.routeDefault();
            case FIXED_USER -> t.fixedUserId();
            case LAST_RINGING -> m.lastRinging() == null ? null : box.userOfExtension(m.lastRinging()).orElse(null);
        };
        if (id == null) {
            id = m.routeDefault() != null ? m.routeDefault() : client;
        }
        if (id == null) {
            throw new Failure(Failure.Kind.REJECTED, "NO_RESPONSIBLE", "the missed-call task of " + m.clientNumber()
                    + " has nobody to go to: the template's rule " + t.responsibleRule() + " names no user and the "
                    + "route has no default responsible", null);
        }
        return id;
    }

    private ZoneId zone() {
        String z = settings.get().taskTemplates().workingHours().timeZone();
        return z == null || z.isBlank() ? ZoneId.systemDefault() : ZoneId.of(z);
    }

    /** The mark a task carries in its description: the appliance's key of it. */
    static String mark(String key) {
        return "[b24bridge task " + key + "]";
    }

    /** The task's CRM binding ({@code UF_CRM_TASK}): C_12, L_5, CO_3, D_7. */
    static String binding(CrmEntity e) {
        String prefix = switch (e.type().toUpperCase(Locale.ROOT)) {
            case "CONTACT" -> "C";
            case "COMPANY" -> "CO";
            case "LEAD" -> "L";
            case "DEAL" -> "D";
            default -> throw new IllegalArgumentException("no task binding for CRM entity type " + e.type());
        };
        return prefix + "_" + e.id();
    }

    private static Optional<TaskTemplates.EntityType> entityType(CrmEntity e) {
        try {
            return Optional.of(TaskTemplates.EntityType.valueOf(e.type().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException x) {
            return Optional.empty();
        }
    }

    static String digits(String number) {
        return number == null ? "" : number.replaceAll("\\D", "");
    }
}
