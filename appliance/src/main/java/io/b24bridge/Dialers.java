package io.b24bridge;

import java.time.Clock;

import io.b24bridge.bitrix.events.BoxEvent;
import io.b24bridge.callback.BoxCallbackCrm;
import io.b24bridge.callback.CallbackAttempts;
import io.b24bridge.callback.CallbackDialer;
import io.b24bridge.callback.CallbackHealth;
import io.b24bridge.callback.Callbacks;
import io.b24bridge.click.ClickCalls;
import io.b24bridge.click.ClickDialer;
import io.b24bridge.click.ClickHealth;
import io.b24bridge.config.ApplianceConfig;
import io.b24bridge.health.HealthPart;
import io.b24bridge.pbx.PbxRegistry;
import io.b24bridge.settings.SettingsStore;
import io.b24bridge.store.Database;

/**
 * The calls the box asks for, as {@link Main#start} wires them: click-to-call and website callbacks, each subscribed
 * to its box event before the events start, each ringing the operator on the first PBX, then the client.
 */
final class Dialers {

    private Dialers() {
    }

    /**
     * Click-to-call: the box's OnExternalCallStart rings the user's phone on the first PBX, then the client
     * ({@link ClickDialer}). Returns its part of /health.
     */
    static HealthPart clicks(ApplianceConfig config, Box box, Database db, SettingsStore settings, PbxRegistry pbx) {
        if (!box.configured() || config.pbx().isEmpty()) {
            return HealthPart.notConfigured("clickToCall", "click-to-call needs a Bitrix24 box and a PBX");
        }
        ClickHealth health = new ClickHealth(Clock.systemUTC());
        box.events().subscribe(BoxEvent.EXTERNAL_CALL_START, new ClickDialer(settings::current, box.crmDirectory(),
                pbx::originate, config.pbx().getFirst().id(), new ClickCalls(db), health, Clock.systemUTC(),
                new BoxCallbackCrm(box.client())::nameOf));
        return health;
    }

    /**
     * Website callbacks: the box's OnExternalCallBackStart rings an operator on the first PBX, then the client, inside
     * working hours, or sets a task for the first working hour ({@link CallbackDialer}). Returns its part of /health.
     */
    static HealthPart callbacks(ApplianceConfig config, Box box, Database db, SettingsStore settings, PbxRegistry pbx,
                                Clock siteClock, Parts parts) {
        if (!box.configured() || config.pbx().isEmpty()) {
            return HealthPart.notConfigured("callbacks", "website callbacks need a Bitrix24 box and a PBX");
        }
        CallbackHealth health = new CallbackHealth(siteClock);
        Callbacks store = new Callbacks(db);
        BoxCallbackCrm crm = new BoxCallbackCrm(box.client());
        CallbackAttempts attempts = parts.push("callback attempts", new CallbackAttempts(settings::current,
                pbx::originate, config.pbx().getFirst().id(), store, crm, health, siteClock));
        CallbackDialer dialer = new CallbackDialer(settings::current, box.crmDirectory(), crm, store, attempts, health,
                siteClock);
        box.events().subscribe(BoxEvent.EXTERNAL_CALLBACK_START, dialer);
        dialer.resume(); // what was ringing when the appliance stopped: its next attempt comes after the interval
        return health;
    }
}
