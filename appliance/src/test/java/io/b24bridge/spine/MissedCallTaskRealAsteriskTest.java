package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.Task;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client the CRM knows calls twice through a real Asterisk 22 and hangs up while 101 rings: Bitrix24 (the
 * emulator) gets one task bound to the contact that says two; when the client calls again and 101 answers, the
 * task is completed.
 */
class MissedCallTaskRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Sergey Kuznetsov of the demo CRM (+7 916 200-00-01), responsible: user 2. */
    private static final String CLIENT = "79162000001";

    @TempDir
    static Path dir;
    static SpineRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = SpineRig.start(dir, ASTERISK.pair());
        rig.settings("task-templates", """
                {"templates": [{"id": "missed-call", "title": "Call back {entityName}: {tries} missed",
                  "description": "{phone} called {did} at {time}. {entityLink}", "deadlineOffsetMinutes": 60}],
                 "windowMinutes": 60, "onReturnedCall": "COMPLETE"}""");
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private List<Task> tasksOfTheContact() {
        int contact = rig.emu.state().contacts().stream().filter(c -> "Sergey".equals(c.fields().get("NAME")))
                .findFirst().orElseThrow().id();
        return rig.emu.tasksBoundTo("C_" + contact);
    }

    @Test
    void twoMissedCallsOfAContactAreOneTaskThatSaysTwoAndAnAnsweredCallCompletesIt(AsteriskPair pbx)
            throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        for (int i = 0; i < 2; i++) {
            WorldCall call = pbx.placeInboundCall("4951000101", CLIENT, WorldScript.hangsUpWhileRinging(
                    Duration.ofSeconds(3)));
            call.awaitEnd(CALL);
        }
        rig.awaitCrmCaughtUp(SETTLE);
        List<Task> tasks = tasksOfTheContact();
        assertEquals(1, tasks.size(), "one task for two misses: " + rig.emu.state().tasks());
        assertEquals("Call back Sergey Kuznetsov: 2 missed", tasks.getFirst().title());
        assertEquals(2, tasks.getFirst().responsibleId(), "the contact's responsible");
        assertTrue(tasks.getFirst().description().contains("+79162000001 called 4951000101"),
                tasks.getFirst().description());

        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        pbx.placeInboundCall("4951000101", CLIENT, WorldScript.staysUntilHungUp()).awaitEnd(CALL);
        rig.awaitCrmCaughtUp(SETTLE);
        assertTrue(tasksOfTheContact().getFirst().completed(), "the client was reached: " + tasksOfTheContact());
        assertEquals(1, rig.emu.state().tasks().size());
    }
}
