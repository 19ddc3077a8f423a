package io.b24bridge.testkit.bitrix;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST methods the emulated box serves, by lower-case name (method names are case-insensitive, §1), each
 * with its scope and when it refuses an inbound webhook ({@link AuthRules}). {@link #invoke} is what both a
 * plain request and a batch command go through, so both are checked alike.
 */
final class Methods {

    /** One method's implementation. */
    interface Handler {
        Reply call(Invocation inv);
    }

    /** When a method refuses a webhook with WRONG_AUTH_TYPE. */
    private enum Webhooks {
        /** no auth-type check, or OAuth or APAuth accepted */
        ACCEPTED,
        /** refused when the emulator follows the docs ({@link AuthRules#DOCS}) */
        REFUSED_BY_DOCS,
        /** OAuth only on every box (event.*) */
        REFUSED
    }

    private record Spec(String name, String scope, Webhooks webhooks, Handler handler) {
    }

    private final Map<String, Spec> specs = new HashMap<>();
    private final Settings settings;
    private final Faults faults;

    Methods(Settings settings, java.time.Clock clock, Faults faults, CallRegistration registration, Telephony telephony,
            Recordings recordings, TelephonyLines lines, VoximplantUsers voximplant, CrmMethods crm, AppMethods app) {
        this.settings = settings;
        this.faults = faults;
        // telephony (§2): OAuth or webhook by the source (vi_rest.php), "application only" by the docs
        add("telephony.externalcall.register", "telephony", Webhooks.REFUSED_BY_DOCS, registration::register);
        add("telephony.externalcall.finish", "telephony", Webhooks.REFUSED_BY_DOCS, telephony::finish);
        add("telephony.externalline.add", "telephony", Webhooks.REFUSED_BY_DOCS, lines::add);
        add("telephony.externalline.update", "telephony", Webhooks.REFUSED_BY_DOCS, lines::update);
        add("telephony.externalline.delete", "telephony", Webhooks.REFUSED_BY_DOCS, lines::delete);
        add("telephony.externalline.get", "telephony", Webhooks.REFUSED_BY_DOCS, lines::get);
        // no auth-type check in the source, none claimed by the docs
        plain("telephony.externalcall.show", "telephony", telephony::show);
        plain("telephony.externalcall.hide", "telephony", telephony::hide);
        plain("telephony.externalcall.attachrecord", "telephony", recordings::attach);
        plain("telephony.externalcall.searchcrmentities", "telephony", lines::searchCrmEntities);
        // the users' and the portal's outgoing lines (scope telephony, no auth-type check in vi_rest.php)
        plain("voximplant.user.get", "telephony", voximplant::userGet);
        plain("voximplant.line.outgoing.get", "telephony", voximplant::lineOutgoingGet);
        // supporting methods (§4)
        plain("user.get", "user", crm::userGet);
        plain("profile", null, crm::profile);
        plain("crm.duplicate.findbycomm", "crm", crm::findByComm);
        plain("crm.lead.add", "crm", inv -> crm.add(EntityType.LEAD, inv));
        plain("crm.lead.get", "crm", inv -> crm.get(EntityType.LEAD, inv));
        plain("crm.lead.update", "crm", inv -> crm.update(EntityType.LEAD, inv));
        plain("crm.lead.list", "crm", inv -> crm.list(EntityType.LEAD, inv));
        plain("crm.contact.get", "crm", inv -> crm.get(EntityType.CONTACT, inv));
        plain("crm.contact.list", "crm", inv -> crm.list(EntityType.CONTACT, inv));
        plain("crm.company.get", "crm", inv -> crm.get(EntityType.COMPANY, inv));
        plain("crm.company.list", "crm", inv -> crm.list(EntityType.COMPANY, inv));
        plain("crm.status.list", "crm", crm::statusList);
        plain("crm.status.add", "crm", crm::statusAdd);
        plain("crm.activity.list", "crm", crm::activityList);
        plain("crm.activity.get", "crm", crm::activityGet);
        plain("crm.timeline.comment.add", "crm", crm::commentAdd);
        plain("crm.timeline.comment.list", "crm", crm::commentList);
        plain("tasks.task.add", "task", crm::taskAdd);
        plain("tasks.task.get", "task", crm::taskGet);
        plain("tasks.task.update", "task", crm::taskUpdate);
        plain("tasks.task.complete", "task", crm::taskComplete);
        plain("tasks.task.list", "task", crm::taskList);
        // event handlers belong to an application: OAuth only on every box (rest/lib/api/event.php:156-159)
        add("event.bind", null, Webhooks.REFUSED, app::bind);
        add("event.get", null, Webhooks.REFUSED, app::get);
        add("event.unbind", null, Webhooks.REFUSED, app::unbind);
        // answers a webhook too, with {SCOPE, LICENSE} (rest/classes/general/rest_provider.php:533-590)
        plain("app.info", null, app::info);
        Batch batch = new Batch(this::invoke, clock);
        plain("batch", null, batch::run);
    }

    /**
     * A method of the b24bridge module (scope {@code b24bridge}): the module's own checks decide who may call it, so
     * the description sets no scope the box would check first.
     */
    void module(String name, Handler h) {
        add(name, null, Webhooks.ACCEPTED, h);
    }

    private void plain(String name, String scope, Handler h) {
        add(name, scope, Webhooks.ACCEPTED, h);
    }

    private void add(String name, String scope, Webhooks webhooks, Handler h) {
        specs.put(name, new Spec(name, scope, webhooks, h));
    }

    /** Looks the method up, checks the caller may use it, runs it; RestError for every refusal. */
    Reply invoke(Invocation inv) {
        Spec spec = specs.get(inv.method().toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw RestError.of("ERROR_METHOD_NOT_FOUND", "Method not found!");
        }
        Caller caller = inv.caller();
        if (caller.webhook() && (spec.webhooks() == Webhooks.REFUSED
                || (spec.webhooks() == Webhooks.REFUSED_BY_DOCS && settings.authRules() == AuthRules.DOCS))) {
            throw RestError.wrongAuthType();
        }
        if (spec.scope() != null && !caller.scopes().contains(spec.scope())) {
            throw RestError.of("insufficient_scope", "The request requires higher privileges than provided by the "
                    + (caller.webhook() ? "webhook token" : "access token"));
        }
        if (faults.operationLimited(spec.name())) {
            throw RestError.of("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
        }
        return spec.handler().call(inv);
    }

    boolean known(String method) {
        return specs.containsKey(method.toLowerCase(Locale.ROOT));
    }

    Set<String> names() {
        return new TreeSet<>(specs.keySet());
    }
}
