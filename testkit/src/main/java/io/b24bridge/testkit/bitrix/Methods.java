package io.b24bridge.testkit.bitrix;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST methods the emulated box serves, by lower-case name (method names are case-insensitive, §1), each
 * with its scope and whether a current box refuses it to webhooks. {@link #invoke} is what both a plain request
 * and a batch command go through, so both are checked alike.
 */
final class Methods {

    /** One method's implementation. */
    interface Handler {
        Reply call(Invocation inv);
    }

    /**
     * @param scope      the scope a webhook or application needs ({@code null}: none)
     * @param appContext refused to webhooks with WRONG_AUTH_TYPE on a current box (§1, §5.6)
     * @param appOnly    refused to webhooks whatever the box
     */
    private record Spec(String name, String scope, boolean appContext, boolean appOnly, Handler handler) {
    }

    private final Map<String, Spec> specs = new HashMap<>();
    private final Settings settings;

    Methods(Settings settings, java.time.Clock clock, Telephony telephony, Recordings recordings,
            TelephonyLines lines, CrmMethods crm, AppMethods app) {
        this.settings = settings;
        // telephony (§2): "works only in the context of an application" on current boxes
        appContext("telephony.externalcall.register", "telephony", telephony::register);
        appContext("telephony.externalcall.finish", "telephony", telephony::finish);
        appContext("telephony.externalcall.show", "telephony", telephony::show);
        appContext("telephony.externalcall.hide", "telephony", telephony::hide);
        appContext("telephony.externalcall.attachrecord", "telephony", recordings::attach);
        // the docs show searchCrmEntities with webhook auth too (§2)
        plain("telephony.externalcall.searchcrmentities", "telephony", lines::searchCrmEntities);
        appContext("telephony.externalline.add", "telephony", lines::add);
        appContext("telephony.externalline.update", "telephony", lines::update);
        appContext("telephony.externalline.delete", "telephony", lines::delete);
        appContext("telephony.externalline.get", "telephony", lines::get);
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
        plain("tasks.task.add", "task", crm::taskAdd);
        plain("tasks.task.get", "task", crm::taskGet);
        plain("tasks.task.list", "task", crm::taskList);
        // event handlers belong to an application; incoming webhooks cannot bind them on a current box
        appContext("event.bind", null, app::bind);
        appContext("event.get", null, app::get);
        appContext("event.unbind", null, app::unbind);
        specs.put("app.info", new Spec("app.info", null, false, true, app::info));
        Batch batch = new Batch(this::invoke, clock);
        plain("batch", null, batch::run);
    }

    private void plain(String name, String scope, Handler h) {
        specs.put(name, new Spec(name, scope, false, false, h));
    }

    private void appContext(String name, String scope, Handler h) {
        specs.put(name, new Spec(name, scope, true, false, h));
    }

    /** Looks the method up, checks the caller may use it, runs it; RestError for every refusal. */
    Reply invoke(Invocation inv) {
        Spec spec = specs.get(inv.method().toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw RestError.of("ERROR_METHOD_NOT_FOUND", "Method not found!");
        }
        Caller caller = inv.caller();
        if (caller.webhook() && (spec.appOnly() || (spec.appContext() && settings.mode() == Mode.CURRENT))) {
            throw RestError.wrongAuthType();
        }
        if (spec.scope() != null && !caller.scopes().contains(spec.scope())) {
            throw RestError.of("insufficient_scope",
                    "The request requires higher privileges than provided by the access token");
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
