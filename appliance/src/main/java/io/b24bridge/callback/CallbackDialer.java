package io.b24bridge.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.calls.DialValues;
import io.b24bridge.routing.CrmDirectory;
import io.b24bridge.settings.Callback;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.Target;

/**
 * The website callback: acts on a stored {@code OnExternalCallBackStart} (subscribed on the inbox). Inside working hours
 * the callback is registered in Bitrix24 (TYPE 4, bound to the form's entity) and {@link CallbackAttempts} rings who
 * is called first — the entity's responsible or the callback target — and then the client; outside them a task for the
 * first working hour is set instead, and nothing rings.
 *
 * <p>Refused, with a log line and a trace in /health and nothing rung: callbacks off, a garbled event or number, a
 * number in the exceptions, nobody to ring or to give the task to. A second delivery of the same form (both event
 * paths, or the box again) is dropped: {@link Callbacks} claims each form once.
 */
public final class CallbackDialer implements BoxEvent.Listener {

    private static final Logger LOG = Logger.getLogger(CallbackDialer.class.getName());
    /** The task is due within the first working hour. */
    static final Duration TASK_WITHIN = Duration.ofHours(1);

    private final Supplier<Settings> settings;
    private final CrmDirectory directory;
    private final CallbackCrm crm;
    private final Callbacks store;
    private final CallbackAttempts attempts;
    private final CallbackHealth health;
    private final Clock clock;

    /**
     * @param clock what "now" is for working hours and holidays (injected: tests set the day and the hour)
     */
    public CallbackDialer(Supplier<Settings> settings, CrmDirectory directory, CallbackCrm crm, Callbacks store,
                          CallbackAttempts attempts, CallbackHealth health, Clock clock) {
        this.settings = settings;
        this.directory = directory;
        this.crm = crm;
        this.store = store;
        this.attempts = attempts;
        this.health = health;
        this.clock = clock;
    }

    @Override
    public void onEvent(BoxEvent event) throws Exception {
        Instant now = clock.instant();
        CallbackRequest request;
        try {
            request = CallbackRequest.of(event.data());
        } catch (CallbackRequest.Refused e) {
            refuse(event, null, e.getMessage());
            return;
        }
        Settings s = settings.get();
        Callback cb = s.callback();
        if (!cb.enabled()) {
            refuse(event, request, "callbacks are off in the settings (callback.enabled)");
            return;
        }
        if (s.exceptions().ignoresNumber(request.number()) || s.exceptions().ignoresNumber("+" + request.number())) {
            refuse(event, request, "the number " + request.number() + " is in the exceptions");
            return;
        }
        Optional<CallbackCrm.Entity> entity = Optional.empty();
        if (request.entityType() != null) {
            try {
                entity = crm.entity(request.entityType(), request.entityId());
            } catch (CallbackCrm.Failed e) {
                // the inbox tries again in 1, 2, 4… s: the visitor waits for a call, not for this
                throw new IllegalStateException("the box did not say who " + request.entityType() + " "
                        + request.entityId() + " is: " + e.getMessage(), e);
            }
        }
        Integer responsible = entity.map(CallbackCrm.Entity::responsibleId).orElse(cb.fallbackUserId());
        Optional<Callbacks.Row> claimed = store.claim(request, event.id(), now);
        if (claimed.isEmpty()) {
            health.repeat();
            LOG.info(() -> "callback to " + request.crmNumber() + " (" + request.formKey() + ", inbox " + event.id()
                    + ") came again: already acted on, not rung twice");
            return;
        }
        Callbacks.Row row = claimed.get();
        if (row.state() != Callbacks.State.TAKEN) {
            return; // a redelivery of a callback under way or done
        }
        if (cb.workingHours() != null && !cb.workingHours().open(now)) {
            taskInstead(event, row, cb, responsible, entity, now);
            return;
        }
        if (responsible == null) {
            fail(event, row, "the form's entity has no responsible and callback.fallbackUserId is not set: there is "
                    + "no one to register the call on");
            return;
        }
        Optional<CallbackAttempts.Ring> ring;
        try {
            // the entity's own responsible, never the fallback user: without one the target takes the callback
            ring = whoFirst(cb, s, entity.map(CallbackCrm.Entity::responsibleId).orElse(null));
        } catch (CrmDirectory.Unavailable e) {
            throw new IllegalStateException("the box did not say who the responsible is: " + e.getMessage(), e);
        }
        if (ring.isEmpty()) {
            fail(event, row, "callback.target names no one to ring (and the responsible has no inner number)");
            return;
        }
        String callId;
        try {
            callId = crm.register(responsible, request, "b24bridge-callback-" + row.id(), now);
        } catch (CallbackCrm.Failed e) {
            if (e.retryable()) {
                throw new IllegalStateException("the callback could not be registered: " + e.getMessage(), e);
            }
            fail(event, row, "Bitrix24 refused to register it: " + e.getMessage());
            return;
        }
        store.registered(row.id(), callId, responsible, now);
        health.originated(event.receivedAt());
        String name = entity.map(CallbackCrm.Entity::name).orElse("");
        LOG.info(() -> "callback " + callId + " to " + request.number() + " (" + request.formKey() + "): ringing "
                + ring.get().channel());
        attempts.first(new CallbackAttempts.Plan(row.id(), callId, responsible, request, name, ring.get()));
    }

    /**
     * Takes up the callbacks that were ringing when the appliance stopped (their CRM call open): each gets its next
     * attempt after the retry interval, or is finished as missed when its attempts are spent. Called once at start.
     */
    public void resume() {
        Settings s = settings.get();
        for (Callbacks.Row row : store.underWay()) {
            if (row.callId() == null || row.userId() == null) {
                continue;
            }
            Optional<CallbackAttempts.Ring> ring;
            try {
                ring = whoFirst(s.callback(), s, row.userId().equals(s.callback().fallbackUserId()) ? null
                        : row.userId(), directory);
            } catch (CrmDirectory.Unavailable e) { // the box is away: the target alone
                try {
                    ring = whoFirst(s.callback(), s, null, directory);
                } catch (CrmDirectory.Unavailable never) {
                    ring = Optional.empty();
                }
            }
            attempts.resume(new CallbackAttempts.Plan(row.id(), row.callId(), row.userId(), row.request(), "",
                    ring.orElse(null)), row.attempts());
        }
    }

    /**
     * Who the callback rings first: the entity's responsible on their inner number when the settings say so (and
     * they have one), else the target — an extension, a queue or a ring group by the routing's dial strings.
     */
    static Optional<CallbackAttempts.Ring> whoFirst(Callback cb, Settings s, Integer responsible, CrmDirectory directory)
            throws CrmDirectory.Unavailable {
        if (cb.firstCall() == Callback.FirstCall.RESPONSIBLE && responsible != null) {
            Optional<String> inner = directory.person(responsible, s.routing().mobileField())
                    .map(CrmDirectory.Person::extension).flatMap(DialValues::extension).map(String::strip);
            if (inner.isPresent() && !s.exceptions().ignoresExtension(inner.get())) {
                return Optional.of(new CallbackAttempts.Ring(
                        s.routing().extensionDial().replace("{extension}", inner.get()), inner.get()));
            }
        }
        Target t = cb.target();
        if (t == null) {
            return Optional.empty();
        }
        return switch (t.type()) {
            case EXTENSION -> Optional.of(new CallbackAttempts.Ring(
                    s.routing().extensionDial().replace("{extension}", t.value()), t.value()));
            case QUEUE -> Optional.of(new CallbackAttempts.Ring(
                    s.routing().queueDial().replace("{queue}", t.value()), ""));
            case RING_GROUP -> Optional.of(new CallbackAttempts.Ring(
                    s.routing().ringGroupDial().replace("{group}", t.value()), ""));
            case NONE, EXTENSIONS -> Optional.empty();
        };
    }

    private Optional<CallbackAttempts.Ring> whoFirst(Callback cb, Settings s, Integer responsible)
            throws CrmDirectory.Unavailable {
        return whoFirst(cb, s, responsible, directory);
    }

    /** Outside working hours: a task on the responsible, due within the first working hour, bound to the entity. */
    private void taskInstead(BoxEvent event, Callbacks.Row row, Callback cb, Integer responsible,
                             Optional<CallbackCrm.Entity> entity, Instant now) {
        if (responsible == null) {
            fail(event, row, "outside working hours, and the form's entity has no responsible and "
                    + "callback.fallbackUserId is not set: there is no one to give the task to");
            return;
        }
        Optional<Instant> opening = cb.workingHours().nextOpening(now);
        if (opening.isEmpty()) {
            fail(event, row, "outside working hours, and callback.workingHours has no working day within a year");
            return;
        }
        CallbackRequest r = row.request();
        String who = entity.map(CallbackCrm.Entity::name).filter(n -> !n.isBlank()).map(n -> n + ", ").orElse("");
        String title = "Call back " + who + r.crmNumber();
        String description = "A visitor asked for a callback on the website at " + now + ", outside working hours ("
                + cb.workingHours().start() + "–" + cb.workingHours().end() + " " + cb.workingHours().timeZone()
                + "). Call " + r.crmNumber() + " back in the first working hour."
                + (r.text().isBlank() ? "" : "\nThe form said: " + r.text());
        Integer taskId;
        try {
            taskId = crm.addTask(title, description, responsible, opening.get().plus(TASK_WITHIN),
                    r.taskBinding().map(List::of).orElse(List.of()));
        } catch (CallbackCrm.Failed e) {
            if (e.retryable()) {
                throw new IllegalStateException("the callback's task could not be set: " + e.getMessage(), e);
            }
            fail(event, row, "Bitrix24 refused the task: " + e.getMessage());
            return;
        }
        store.settle(row.id(), Callbacks.State.TASK, "outside working hours; task " + taskId + " due by "
                + opening.get().plus(TASK_WITHIN), taskId, now);
        health.task();
        LOG.info(() -> "callback to " + r.crmNumber() + " asked outside working hours: task " + taskId + " for user "
                + responsible + ", due by " + opening.get().plus(TASK_WITHIN) + "; nothing rung");
    }

    private void fail(BoxEvent event, Callbacks.Row row, String why) {
        store.settle(row.id(), Callbacks.State.FAILED, why, null, clock.instant());
        refuse(event, row.request(), why);
    }

    private void refuse(BoxEvent event, CallbackRequest r, String why) {
        String what = r == null ? "callback (inbox " + event.id() + ")" : "callback to " + r.crmNumber() + " ("
                + r.formKey() + ", inbox " + event.id() + ")";
        LOG.warning(what + " refused, nothing rung: " + why);
        health.refused(what, why, clock.instant());
    }
}
