package io.b24bridge.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.b24bridge.Appliance;
import io.b24bridge.EmulatedBox;
import io.b24bridge.Main;
import io.b24bridge.TestAppliance;
import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.certs.DevPki;
import io.b24bridge.config.ConfigLoader;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.TaskTemplates;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.User;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control panel in a real browser (Debian's headless Chromium) against a real appliance (HTTPS admin listener,
 * Derby on disk): the first administrator made with the setup token, signing in, an inbound route with its lead
 * source and a default responsible picked from the box's own lists (the box emulated) and a task template made
 * through the generated forms (a wrong value refused next to its field), versions
 * and their diff, calls in the list and on the dashboard (which updates without a reload), the operators' figures,
 * a viewer who sees but cannot change, a change without the CSRF token refused, and the language switched. Every
 * page is saved as a picture under target/panel-screenshots/. One appliance and one browser for the whole story.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserTest {

    static final String CHIEF = "chief";
    static final String CHIEF_PASSWORD = "chief-password-2026";
    static final String VIEWER = "watcher";
    static final String VIEWER_PASSWORD = "watcher-password-2026";

    @TempDir
    static Path dir;
    static BoxEmulator box;
    static Appliance app;
    static PanelBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        // the box whose lead sources and users the settings pick from: its own list plus one of its sources
        box = EmulatedBox.builder(pki).webhook(1, "hooksecret", Set.of("crm", "user", "telephony", "task")).build()
                .start();
        box.addLeadSource("MSK_ADS", "Реклама Москва");
        box.addUser(User.of(4, "Анна Петрова", "101", "+79160000004"));
        box.addUser(User.of(5, "Борис Ступин", "102", "+79160000005"));
        Path config = TestAppliance.writeConfig(dir, pki);
        // a PBX that is never reached (routing off): its recordings folder is what the calls page plays from
        Files.writeString(config, Files.readString(config) + EmulatedBox.webhookSection(box, 1, "hooksecret")
                .formatted(pki.applianceClient(), pki.passwordFile(), pki.trustStore()) + """
                pbx:
                  - id: pbx1
                    host: 127.0.0.1
                    port: 1
                    username: b24bridge
                    secret: test-secret
                    recordings-dir: %s
                    recordings-pbx-dir: /var/spool/asterisk/monitor
                agi:
                  port: 0
                """.formatted(Files.createDirectories(dir.resolve("recordings"))));
        app = Main.start(ConfigLoader.load(config, Map.of()));
        browser = new PanelBrowser(app.adminUrl(), dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.stop();
        }
        if (box != null) {
            box.stop();
        }
    }

    @Test
    @Order(1)
    void theFirstAdministratorIsMadeWithTheSetupToken() throws Exception {
        browser.open("/");
        browser.element("#setup-token");
        browser.sees("Первый запуск");
        String token = Files.readString(app.config().storage().dir().resolve("keys/setup-token")).strip();

        browser.type("#setup-token", "not-the-token");
        browser.type("#setup-name", CHIEF);
        browser.type("#setup-password", CHIEF_PASSWORD);
        browser.click("#setup-go");
        browser.sees("wrong setup token");
        assertTrue(app.access().accounts().find(CHIEF).isEmpty(), "a wrong token makes nobody");

        browser.type("#setup-token", token);
        browser.screenshot("01-setup");
        browser.click("#setup-go");
        browser.element("#login-name"); // the setup is spent: the sign-in comes next
        assertTrue(app.access().accounts().find(CHIEF).isPresent());
        assertFalse(app.access().firstRun().needed());
    }

    @Test
    @Order(2)
    void theAdministratorSignsInAndSeesTheLiveState() {
        browser.open("/");
        browser.type("#login-name", CHIEF);
        browser.type("#login-password", "a-wrong-password");
        browser.click("#login-go");
        browser.sees("Неверное имя или пароль");
        browser.screenshot("02-login");

        browser.type("#login-password", CHIEF_PASSWORD);
        browser.click("#login-go");
        browser.element("#card-outbox");
        browser.element("[data-part='database']");
        assertEquals("0", browser.text("#outbox-dead"));
        browser.sees(CHIEF + " (администратор)");
    }

    @Test
    @Order(3)
    void anInboundRouteWithALeadSourceIsMadeAndAWrongValueIsRefusedNextToItsField() {
        browser.open("/#/settings?section=inbound-routes");
        browser.click("[data-add='routes']");
        browser.type("[data-path='routes[0].did']", "not a number");
        browser.type("[data-path='routes[0].name']", "Сайт Москва");
        // the lead source and the responsible are picked from the box's lists, not typed
        Select source = new Select(browser.element("select[data-path='routes[0].leadSource']"));
        assertTrue(source.getOptions().stream().anyMatch(o -> o.getText().equals("Реклама Москва (MSK_ADS)")),
                "the box's own source is offered");
        source.selectByVisibleText("Website (WEB)");
        Select responsible = new Select(browser.element("select[data-path='routes[0].defaultResponsibleUserId']"));
        responsible.selectByVisibleText("Анна Петрова · ID 4 · доб. 101");
        browser.screenshot("03a-settings-pick-from-box");
        browser.click("#settings-save");

        WebElement did = browser.element("[data-path='routes[0].did']");
        browser.await(d -> "true".equals(did.getAttribute("aria-invalid")));
        String reason = browser.text("#" + did.getAttribute("aria-describedby"));
        assertFalse(reason.isBlank(), "the reason stands next to the field");
        browser.screenshot("03-settings-error");
        assertTrue(app.settings().current().inboundRoutes().routes().isEmpty(), "nothing stored");

        browser.type("[data-path='routes[0].did']", "74951234567");
        browser.click("#settings-save");
        browser.sees("Сохранено");
        InboundRoutes.Route route = app.settings().current().inboundRoutes().routes().getFirst();
        assertEquals("74951234567", route.did());
        assertEquals("WEB", route.leadSource());
        assertEquals(4, route.defaultResponsibleUserId());
        browser.screenshot("04-settings-inbound-route");

        // a source the box does not have yet can still be named: the picker becomes a typed field
        new Select(browser.element("select[data-path='routes[0].leadSource']"))
                .selectByVisibleText("Новый источник (ввести код)…");
        WebElement typed = browser.element("input[data-path='routes[0].leadSource']");
        assertEquals(typed, browser.driver().switchTo().activeElement(), "the typed field takes the focus");
    }

    @Test
    @Order(4)
    void aTaskTemplateIsMadeAndItsVersionShowsWhatChangedAndCanBeRestored() {
        browser.open("/#/settings?section=task-templates");
        browser.click("[data-add='templates']");
        browser.type("[data-path='templates[0].id']", "missed-call");
        browser.type("[data-path='templates[0].title']", "Перезвонить {phone}");
        browser.click("#settings-save");
        browser.sees("Сохранено");
        TaskTemplates.Template template = app.settings().current().taskTemplates().templates().getFirst();
        assertEquals("Перезвонить {phone}", template.title());
        long version = app.settings().current().version();

        browser.click("[data-version='" + version + "']");
        browser.element("#diff");
        browser.sees("task-templates.templates[0].title"); // an added item is shown field by field
        assertTrue(browser.text("#diff").contains("Перезвонить {phone}"), browser.text("#diff"));
        browser.screenshot("05-settings-version-diff");

        browser.click("[data-version='" + (version - 1) + "']");
        browser.click("#version-restore");
        browser.sees("Восстановлено как версия " + (version + 1));
        assertTrue(app.settings().current().taskTemplates().templates().isEmpty(), "the version before the template");
        assertEquals("WEB", app.settings().current().inboundRoutes().routes().getFirst().leadSource());
    }

    @Test
    @Order(5)
    void callsAppearInTheListAndOnTheDashboardWithoutAReload() {
        call("1700000000.1", "+79161234567", "101", Instant.now().minusSeconds(600), 5);
        // the box registers the call and makes the stranger a lead: the client the calls list links to
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> app.outbox().history()
                .between(Instant.EPOCH, Instant.now().plusSeconds(60), 10).getFirst().client() != null);
        browser.open("/#/calls");
        WebElement row = browser.element("#calls-table tr[data-call='pbx1:1700000000.1']");
        assertTrue(row.getText().contains("+79161234567"), row.getText());
        assertTrue(row.getText().contains("Сайт Москва"), "the route's name by its DID: " + row.getText());
        WebElement client = browser.element("#calls-table tr[data-call='pbx1:1700000000.1'] td.client a");
        assertTrue(client.getText().matches("Лид \\d+"), client.getText());
        assertTrue(client.getAttribute("href").matches(java.util.regex.Pattern.quote(box.baseUrl().replaceAll("/$", ""))
                + "/crm/lead/details/\\d+/"), client.getAttribute("href"));
        browser.screenshot("06-calls");

        browser.type("#calls-number", "0000");
        browser.click("#calls-apply");
        browser.element("#calls-empty");
        String csv = (String) browser.async("const done = arguments[0]; fetch('/api/calls/csv')"
                + ".then(r => r.text()).then(done)");
        assertTrue(csv.startsWith("startedAt,direction,clientNumber"), csv);
        assertTrue(csv.contains("+79161234567"), csv);

        browser.open("/#/dashboard");
        browser.await(d -> d.findElement(By.id("calls-today")).getText().equals("1"));
        browser.element("#dash-calls tr[data-call='pbx1:1700000000.1']");
        call("1700000000.2", "+79167654321", "102", Instant.now().minusSeconds(60), 3);
        // the page polls: the second call shows up with no reload
        browser.await(d -> d.findElement(By.id("calls-today")).getText().equals("2"));
        browser.element("#dash-calls tr[data-call='pbx1:1700000000.2']");
        browser.screenshot("07-dashboard");

        browser.open("/#/operators");
        WebElement ops = browser.element("#ops-table tr[data-key='101']");
        assertTrue(ops.getText().contains("100 %"), ops.getText());
        browser.await(d -> !d.findElements(By.cssSelector("#chart-hours svg rect")).isEmpty());
        browser.screenshot("08-operators");
    }

    @Test
    @Order(6)
    void aChangeWithoutTheCsrfTokenIsRefused() {
        browser.open("/#/dashboard");
        browser.element("#card-outbox");
        String put = "const [token, done] = arguments; fetch('/api/settings/exceptions', {method: 'PUT', "
                + "headers: Object.assign({'Content-Type': 'application/json'}, token ? {'X-CSRF-Token': token} : {}),"
                + " body: JSON.stringify({ignoreNumbers: ['+74950000000']})}).then(r => done(r.status))";
        assertEquals(403L, browser.async(put, (Object) null), "the session's cookie alone changes nothing");
        assertTrue(app.settings().current().exceptions().ignoreNumbers().isEmpty());
        String token = (String) browser.async("const done = arguments[0]; fetch('/api/session').then(r => r.json())"
                + ".then(j => done(j.csrfToken))");
        assertEquals(200L, browser.async(put, token), "with the token it goes through");
        assertEquals(List.of("+74950000000"), app.settings().current().exceptions().ignoreNumbers());
    }

    @Test
    @Order(7)
    void theAdministratorMakesAViewerAndSeesTheAuditLog() {
        browser.open("/#/users");
        browser.type("#user-name", VIEWER);
        browser.type("#user-password", VIEWER_PASSWORD);
        browser.click("#user-create");
        browser.element("#users-table tr[data-account='" + VIEWER + "']");
        browser.screenshot("09-users");

        browser.open("/#/audit");
        browser.element("#audit-table");
        browser.sees("account.create");
        browser.sees("settings.restore");
        browser.screenshot("10-audit");
    }

    @Test
    @Order(8)
    void aViewerSeesTheSettingsAndCannotChangeThem() {
        browser.click("#logout");
        browser.type("#login-name", VIEWER);
        browser.type("#login-password", VIEWER_PASSWORD);
        browser.click("#login-go");
        browser.element("#card-outbox");
        assertTrue(browser.driver().findElements(By.id("nav-users")).isEmpty(), "no users page for a viewer");

        browser.open("/#/settings?section=inbound-routes");
        browser.element("#settings-readonly");
        WebElement did = browser.element("[data-path='routes[0].did']");
        assertEquals("74951234567", did.getAttribute("value"));
        assertFalse(did.isEnabled(), "shown, not editable");
        WebElement source = browser.element("select[data-path='routes[0].leadSource']");
        assertEquals("Website (WEB)", new Select(source).getFirstSelectedOption().getText());
        assertFalse(source.isEnabled(), "the picker too");
        assertTrue(browser.driver().findElements(By.id("settings-save")).isEmpty(), "no save for a viewer");
        browser.screenshot("11-settings-viewer");

        // even a hand-made request with the viewer's own CSRF token is refused
        long status = (Long) browser.async("const done = arguments[0]; fetch('/api/session').then(r => r.json())"
                + ".then(j => fetch('/api/settings/exceptions', {method: 'PUT', headers: {'Content-Type': "
                + "'application/json', 'X-CSRF-Token': j.csrfToken}, body: '{}'})).then(r => done(r.status))");
        assertEquals(403, status);
        assertEquals(List.of("+74950000000"), app.settings().current().exceptions().ignoreNumbers());
    }

    @Test
    @Order(9)
    void aViewerPlaysACallsRecordingInThePage() throws Exception {
        Files.write(dir.resolve("recordings/in-3.wav"), wav(2));
        recordedCall("1700000000.3", "/var/spool/asterisk/monitor/in-3.wav");
        browser.open("/#/calls");
        WebElement audio = browser.element("#calls-table tr[data-call='pbx1:1700000000.3'] audio");
        assertTrue(browser.driver().findElements(By.cssSelector("#calls-table tr[data-call='pbx1:1700000000.1'] "
                + "audio")).isEmpty(), "no player for a call without a recording");
        assertEquals("none", audio.getAttribute("preload"), "nothing is fetched before play");
        // the browser itself loads it, with the viewer's session, and finds the 2 seconds of sound
        browser.script("arguments[0].load()", audio);
        browser.await(d -> ((Number) browser.script("return arguments[0].readyState", audio)).intValue() >= 1);
        assertEquals(2L, browser.script("return Math.round(arguments[0].duration)", audio));
        browser.script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", audio);
        browser.screenshot("13-calls-recording");
    }

    @Test
    @Order(10)
    void theLanguageSwitchesToEnglishAndBack() {
        browser.open("/#/calls");
        browser.element("#calls-table");
        browser.click("#lang");
        browser.await(d -> d.findElement(By.id("nav-calls")).getText().equals("Calls"));
        assertEquals("en", browser.script("return document.documentElement.lang"));
        browser.sees("Client number");
        browser.screenshot("12-calls-english");
        browser.open("/#/dashboard"); // the choice is kept by the browser
        browser.await(d -> d.findElement(By.id("nav-dashboard")).getText().equals("Dashboard"));
        browser.click("#lang");
        browser.await(d -> d.findElement(By.id("nav-dashboard")).getText().equals("Состояние"));
        assertEquals("ru", browser.script("return document.documentElement.lang"));
    }

    @Test
    @Order(11)
    void thePanelFetchesNothingFromOutsideAndWeighsLittle() {
        browser.open("/#/operators");
        browser.element("#ops-table");
        browser.driver().navigate().refresh(); // a fresh load of the heaviest page: its own files and data only
        browser.await(d -> !d.findElements(By.cssSelector("#chart-hours svg rect")).isEmpty());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loaded = (List<Map<String, Object>>) browser.script("return performance"
                + ".getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                + ".map(e => ({name: e.name, size: e.transferSize}))");
        long bytes = 0;
        for (Map<String, Object> e : loaded) {
            assertTrue(String.valueOf(e.get("name")).startsWith(app.adminUrl()), "only the appliance: " + e);
            bytes += ((Number) e.get("size")).longValue();
        }
        System.out.printf("panel: the operators page loaded %d resources, %.1f kB transferred%n", loaded.size(),
                bytes / 1024.0);
        assertTrue(bytes < 200 * 1024, "the page, its script, style sheet and data: " + bytes + " bytes");
    }

    /** A finished inbound call whose recording the PBX named {@code file}. */
    private static void recordedCall(String linkedid, String file) {
        CallKey key = new CallKey("pbx1", linkedid);
        Instant at = Instant.now().minusSeconds(30);
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, at).clientNumber("+79165550003")
                .did("74951234567").registered(true).operator("102").answeredAt(at.plusSeconds(3))
                .recordingFile(file).finished(true).build();
        app.outbox().journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, CrmCommand.UserRef.user(5), "+79165550003", false, at, true, "WEB",
                        "74951234567", true),
                new CrmCommand.Finish(key, CrmCommand.UserRef.extension("102"), 20, "200", null, false)), true)));
    }

    /** A WAV file (PCM, 8 kHz, 16 bit, mono) of a 440 Hz tone lasting {@code seconds}. */
    private static byte[] wav(int seconds) {
        int samples = 8000 * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000)));
        }
        return b.array();
    }

    /** A finished inbound call through the route's DID, as the call journal records it. */
    private static void call(String linkedid, String number, String operator, Instant at, int vote) {
        CallKey key = new CallKey("pbx1", linkedid);
        CallCrmState state = CallCrmState.builder(key, CallEvent.Direction.INBOUND, at).clientNumber(number)
                .did("74951234567").defaultResponsible(4).leadSource("WEB").lineNumber("74951234567")
                .registered(true).operator(operator).answeredAt(at.plusSeconds(7)).vote(vote).finished(true).build();
        app.outbox().journal().record(List.of(new CrmLifecycle.Change(key, state, List.of(
                new CrmCommand.Register(key, CrmCommand.UserRef.user(4), number, false, at, true, "WEB",
                        "74951234567", true),
                new CrmCommand.Finish(key, CrmCommand.UserRef.extension(operator), 95, "200", vote, false)), true,
                List.of(new CrmLifecycle.Rating(key, operator, vote, at.plusSeconds(120), true)), null)));
    }
}
