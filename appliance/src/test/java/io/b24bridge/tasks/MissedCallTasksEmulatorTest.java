package io.b24bridge.tasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.EmulatedBox;
import io.b24bridge.TestAppliance;
import io.b24bridge.certs.DevPki;
import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Deployment;
import io.b24bridge.testkit.bitrix.Faults;
import io.b24bridge.testkit.bitrix.Task;
import io.b24bridge.testkit.pbx.PbxSimulator;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;
import io.b24bridge.testkit.pbx.Transcript;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Missed calls of known clients become tasks in Bitrix24 (the emulator), one per caller within the window: the
 * calls are the recorded ones of a real Asterisk 22 (a client hangs up while 101 rings; 101 answers), replayed by
 * the PBX simulator with the caller's number replaced by a client's of the demo CRM.
 */
class MissedCallTasksEmulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The demo CRM's contact Sergey Kuznetsov (+7 916 200-00-01), responsible: user 2. */
    private static final String CONTACT_NUMBER = "79162000001";
    private static final String RECORDED_CALLER = "79161112233";

    @TempDir
    Path dir;
    PbxSimulator pbx;
    BoxEmulator emu;
    TestAppliance app;

    @BeforeEach
    void start() {
        pbx = PbxSimulator.start("b24bridge", "test-secret");
        DevPki.Files pki = DevPki.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
        emu = EmulatedBox.builder(pki).seedDemo(true).deployment(Deployment.AIR_GAPPED)
                .webhook(1, "taskswebhook", Set.of()).build().start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emu != null) {
            emu.stop();
        }
        if (pbx != null) {
            pbx.close();
        }
    }

    private void startAppliance(String onReturnedCall) {
        app = TestAppliance.start(dir, EmulatedBox.webhookSection(emu, 1, "taskswebhook") + """
                pbx:
                  - id: pbx1
                    host: %s
                    port: %d
                    username: b24bridge
                    secret: test-secret
                    reconnect-min: 200ms
                    ping-interval: 1s
                agi:
                  port: 0
                """.formatted(pbx.host(), pbx.port()).replace("%", "%%"));
        put("/api/settings/inbound-routes", """
                {"routes": [{"did": "4951000101", "name": "Sales line", "defaultResponsibleUserId": 4}]}""");
        put("/api/settings/exceptions", """
                {"ignoreNumbers": ["79260000099"]}""");
        put("/api/settings/task-templates", """
                {"templates": [{"id": "missed-call", "title": "Call back {entityName}: {tries} missed",
                  "description": "{phone} tried {tries} times on {route} ({did}), last at {time}. {entityLink}",
                  "deadlineOffsetMinutes": 120, "responsibleRule": "CRM_RESPONSIBLE"}],
                 "windowMinutes": 60, "onReturnedCall": "%s"}""".formatted(onReturnedCall));
        await().atMost(WAIT).until(() -> app.get("/health").body().contains("\"pbx\":{\"state\":\"UP\""));
    }

    private void put(String path, String json) {
        var r = app.put(path, json);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
    }

    /** The recorded call, {@code times} times, from {@code caller}; waits until the simulator sent it all. */
    private void calls(String transcript, int times, String caller) throws InterruptedException {
        Replay r = pbx.replay(Transcript.resource(Transcript.RESOURCE_DIR + transcript),
                ReplayOptions.of(times, 0).replacing(RECORDED_CALLER, n -> caller));
        assertTrue(r.await(WAIT), "replayed");
    }

    private void missedCalls(int times, String caller) throws InterruptedException {
        calls("inbound-caller-hangs-up-while-101-rings.txt", times, caller);
    }

    private int contactId() {
        return emu.state().contacts().stream().filter(c -> "Sergey".equals(c.fields().get("NAME"))).findFirst()
                .orElseThrow().id();
    }

    private List<CallView> finishedFrom(String number) {
        return emu.state().calls().stream().filter(c -> c.finished() && c.phoneNumber().endsWith(number)).toList();
    }

    private String outbox() {
        return "outbox: " + app.get("/api/outbox").body() + "; dead: " + app.get("/api/outbox/dead").body();
    }

    @Test
    void aContactWhoMissedFiveTimesHasOneTaskThatSaysFiveAndAnAnsweredCallCompletesIt() throws Exception {
        startAppliance("COMPLETE");
        String binding = "C_" + contactId();

        missedCalls(5, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> finishedFrom(CONTACT_NUMBER).size() == 5
                && emu.tasksBoundTo(binding).size() == 1
                && emu.tasksBoundTo(binding).getFirst().title().contains(": 5 missed"));

        List<Task> tasks = emu.tasksBoundTo(binding);
        assertEquals(1, tasks.size(), "one task, not five: " + tasks);
        Task task = tasks.getFirst();
        assertEquals("Call back Sergey Kuznetsov: 5 missed", task.title());
        assertTrue(task.description().contains("tried 5 times on Sales line (4951000101)"), task.description());
        assertTrue(task.description().contains(emu.baseUrl() + "/crm/contact/details/" + contactId() + "/"),
                "a link to the contact: " + task.description());
        assertEquals(2, task.responsibleId(), "the contact's responsible");
        assertEquals(4, task.updates(), "made once, then updated for tries 2 to 5");
        assertFalse(task.completed());
        assertEquals(1, emu.state().tasks().size(), "no other task anywhere");

        // the client calls again and 101 answers: the task is done
        calls("inbound-answered-by-101.txt", 1, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> emu.tasksBoundTo(binding).getFirst().completed());
        assertEquals(1, emu.state().tasks().size());
    }

    @Test
    void anUnknownCallerGetsALeadAndNoTaskAndAnExceptedNumberNothingAtAll() throws Exception {
        startAppliance("COMPLETE");
        int leadsBefore = emu.state().leads().size();

        missedCalls(2, "79260000042");
        missedCalls(1, "79260000099"); // in the exceptions
        await().atMost(WAIT).until(() -> finishedFrom("79260000042").size() == 2);
        // the excepted call is never registered; a known caller's miss afterwards proves the queue has moved on
        missedCalls(1, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> emu.state().tasks().size() == 1);

        assertEquals(leadsBefore + 1, emu.state().leads().size(), "one lead for the unknown number (register's)");
        assertEquals(List.of(), emu.state().calls().stream().filter(c -> c.phoneNumber().endsWith("79260000099"))
                .toList(), "the excepted number reached nothing");
        assertEquals(1, emu.tasksBoundTo("C_" + contactId()).size(), "the only task is the contact's");
    }

    @Test
    void missesWhileTheBoxIsAwayBecomeOneTaskWhenItIsBack() throws Exception {
        startAppliance("COMPLETE");
        String binding = "C_" + contactId();
        emu.faults().outage(Faults.Outage.REFUSED);

        missedCalls(3, CONTACT_NUMBER);
        // the calls are over on the PBX and waiting in the outbox while the box is away
        await().atMost(WAIT).until(() -> app.get("/api/outbox").body().matches("(?s).*\"pending\":\\s*[1-9].*"));
        assertEquals(List.of(), emu.tasksBoundTo(binding));

        emu.faults().outage(Faults.Outage.NONE);
        try {
            await().atMost(WAIT).until(() -> finishedFrom(CONTACT_NUMBER).size() == 3
                    && emu.tasksBoundTo(binding).size() == 1
                    && emu.tasksBoundTo(binding).getFirst().title().contains(": 3 missed"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(emu.state().tasks() + "; " + outbox(), e);
        }
        assertEquals(1, emu.state().tasks().size(), "once, not once per retry");
    }

    @Test
    void withAnnotateAnAnsweredCallAddsALineAndLeavesTheTaskOpen() throws Exception {
        startAppliance("ANNOTATE");
        String binding = "C_" + contactId();
        missedCalls(2, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> emu.tasksBoundTo(binding).size() == 1
                && emu.tasksBoundTo(binding).getFirst().title().contains(": 2 missed"));

        calls("inbound-answered-by-101.txt", 1, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> emu.tasksBoundTo(binding).getFirst().description().contains("Reached "));
        Task task = emu.tasksBoundTo(binding).getFirst();
        assertFalse(task.completed(), "annotated, left open");
        assertTrue(task.description().contains("the client called again and was answered"), task.description());

        // a miss after that is a new matter: a new task
        missedCalls(1, CONTACT_NUMBER);
        await().atMost(WAIT).until(() -> emu.tasksBoundTo(binding).size() == 2);
        assertTrue(emu.tasksBoundTo(binding).get(1).title().contains(": 1 missed"));
    }
}
