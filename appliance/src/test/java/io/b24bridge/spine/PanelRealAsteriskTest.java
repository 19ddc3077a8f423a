package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import io.b24bridge.TestAppliance;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.CrmEntity;
import io.b24bridge.testkit.bitrix.Task;
import io.b24bridge.web.PanelBrowser;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The control panel in Debian's headless Chromium, with real calls through a real Asterisk 22: an administrator
 * gives a route another lead source and makes a task template in the panel's forms; then an unknown caller becomes
 * a lead with that source and a known client's missed call a task from that template in Bitrix24 (the emulator),
 * and both calls show in the panel's calls list and on its dashboard.
 */
class PanelRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Sergey Kuznetsov of the demo CRM (+7 916 200-00-01), responsible: user 2. */
    private static final String CLIENT = "79162000001";
    private static final String STRANGER = "79990004455";

    @TempDir
    static Path dir;
    static SpineRig rig;
    static PanelBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        rig = SpineRig.start(dir, ASTERISK.pair());
        browser = new PanelBrowser(rig.app.appliance().adminUrl(), dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void whatIsSetInThePanelTakesEffectOnRealCallsThatThePanelThenShows(AsteriskPair pbx) throws Exception {
        browser.open("/");
        browser.type("#login-name", TestAppliance.ADMIN);
        browser.type("#login-password", TestAppliance.ADMIN_PASSWORD);
        browser.click("#login-go");
        browser.element("#card-outbox");

        // route 0 is the DID 4951000101 (SpineRig.INBOUND_ROUTES): another of the box's lead sources for it, picked from the box's list
        // the appliance made that source on the box at its start (the second route names it)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rig.emu.state().statuses()
                .stream().anyMatch(st -> st.statusId().equals("DID_74957654321")));
        browser.open("/#/settings?section=inbound-routes");
        assertEquals("4951000101", browser.element("[data-path='routes[0].did']").getAttribute("value"));
        new Select(browser.element("select[data-path='routes[0].leadSource']")).selectByValue("DID_74957654321");
        browser.click("#settings-save");
        browser.sees("Сохранено");
        browser.open("/#/settings?section=task-templates");
        browser.click("[data-add='templates']");
        browser.type("[data-path='templates[0].id']", "missed-call");
        browser.type("[data-path='templates[0].title']", "Перезвонить {phone}");
        browser.click("#settings-save");
        browser.sees("Сохранено");

        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        pbx.placeInboundCall("4951000101", STRANGER, WorldScript.staysUntilHungUp()).awaitEnd(CALL);
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        pbx.placeInboundCall("4951000101", CLIENT, WorldScript.hangsUpWhileRinging(Duration.ofSeconds(3)))
                .awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);

        CallView stranger = rig.call("+" + STRANGER);
        assertNotNull(stranger.createdLeadId(), "an unknown caller becomes a lead");
        CrmEntity lead = rig.emu.state().lead(stranger.createdLeadId()).orElseThrow();
        assertEquals("DID_74957654321", lead.fields().get("SOURCE_ID"), "the lead source set in the panel");
        int contact = rig.emu.state().contacts().stream().filter(c -> "Sergey".equals(c.fields().get("NAME")))
                .findFirst().orElseThrow().id();
        List<Task> tasks = rig.emu.tasksBoundTo("C_" + contact);
        assertEquals(1, tasks.size(), "the missed call of a known client: " + rig.emu.state().tasks());
        assertEquals("Перезвонить +" + CLIENT, tasks.getFirst().title(), "the template made in the panel");

        browser.open("/#/calls");
        browser.element("#calls-table");
        browser.sees("+" + STRANGER);
        browser.sees("+" + CLIENT);
        browser.screenshot("13-real-asterisk-calls");
        browser.open("/#/dashboard");
        browser.await(d -> Integer.parseInt(d.findElement(By.id("calls-today")).getText()) >= 2);
        browser.sees("+" + STRANGER);
        browser.screenshot("14-real-asterisk-dashboard");
    }
}
