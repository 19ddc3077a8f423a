package io.b24bridge.spine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.json.Json;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.bitrix.Activity;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Dispatch;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Click-to-call on real parts: a user clicks a number in the emulated box; the box registers the call and sends
 * OnExternalCallStart by one of its two paths ({@link ClickToCallOverTheModuleRealAsteriskTest}: the b24bridge module's
 * queue, pulled; {@link ClickToCallOverTheCloudRealAsteriskTest}: Bitrix's cloud queue POSTing through the site's edge
 * proxy); the appliance rings the user's phone on the real Asterisk over AMI and, once they answer, the product's
 * dialplan dials the client through the test PBX's outbound route. The CRM keeps the one call the box registered,
 * finished by the appliance with its outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClickToCallRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    static final Duration CALL = Duration.ofSeconds(40);

    /** The appliance's directory (its TLS material, its store). */
    Path dir;
    SpineRig rig;

    /** The box, its event path and the appliance, started. */
    abstract SpineRig startRig(Path dir, AsteriskPair pair) throws Exception;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        rig = startRig(dir, ASTERISK.pair());
        rig.settings("click-to-call", """
                {"enabled": true, "originateContext": "from-phones", "operatorRingTimeoutSeconds": 6,
                 "clientRingTimeoutSeconds": 6}""");
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void bothAnswerOneCallUnderTheBoxsCallIdWithTalkTimeAndRecording(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162000011", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        Dispatch click = rig.emu.clickToCall(2, "+79162000011"); // Ivan Petrov, inner number 101

        CallView c = finished(click);
        assertEquals(1, c.registerCount(), "the box's own register, and no second one");
        // by CALL_ID: the recording is attached after finish, so a view read later differs from this one
        assertEquals(List.of(c.callId()), rig.calls(v -> "+79162000011".equals(v.phoneNumber())).stream()
                .map(CallView::callId).toList(), "one call in the CRM");
        assertEquals(1, c.type(), "outgoing");
        assertEquals("200", c.statusCode());
        assertEquals(2, c.finishUserId(), "the clicking user talked");
        assertTrue(c.duration() >= 2 && c.duration() <= 4, "talk time, not ring time: " + c.duration());
        SpineRig.await(CALL, () -> rig.emu.state().activitiesOf(c.callId()).stream().anyMatch(a -> a.record() != null),
                "the recording attached to the call's activity (it goes after finish)");
        Activity activity = rig.emu.state().activitiesOf(c.callId()).getFirst();
        assertNotNull(activity.record());
        assertEquals(2, activity.responsibleId());
    }

    @Test
    void theLineTheClickNamesPicksItsTrunkAndALineWithoutOneTakesTheDefaultRoute(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("879162000066", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        pbx.outside("79162000066", PhoneBehaviour.busy()); // what the default route would reach
        CallView viaTrunk = finished(rig.emu.clickToCall(2, "+79162000066", SpineRig.TRUNK_LINE, null, null));
        assertEquals("200", viaTrunk.statusCode(), "answered through the line's own trunk");
        String world = Files.readString(pbx.worldLog());
        assertTrue(world.contains("[879162000066@outside"), "the line's route dialled it, with its 8");
        assertFalse(world.contains("[79162000066@outside"), "not the default route");

        pbx.outside("79162000077", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        CallView viaDefault = finished(rig.emu.clickToCall(2, "+79162000077", "74950000099", null, null));
        assertEquals("200", viaDefault.statusCode());
        assertTrue(Files.readString(pbx.worldLog()).contains("[79162000077@outside"),
                "a line without a trunk of its own: click-to-call.originateContext's route");
    }

    @Test
    void theOperatorDoesNotAnswerTheClientIsNeverCalled(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.neverAnswers());
        pbx.outside("79162000022", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        Dispatch click = rig.emu.clickToCall(2, "+79162000022");

        CallView c = finished(click);
        assertEquals("603-S", c.statusCode(), "given up on our side before the client was called");
        assertEquals(0, c.duration());
        assertFalse(Files.readString(pbx.worldLog()).contains("[79162000022@outside"), "the client's phone never rang");
    }

    @Test
    void theClientIsBusy(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162000033", PhoneBehaviour.busy());
        CallView c = finished(rig.emu.clickToCall(2, "+79162000033"));
        assertEquals("486", c.statusCode());
        assertEquals(0, c.duration());
    }

    @Test
    void theClientDoesNotAnswerWithinTheClientRingTimeout(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162000044", PhoneBehaviour.neverAnswers());
        long t0 = System.nanoTime();
        CallView c = finished(rig.emu.clickToCall(2, "+79162000044"));
        assertEquals("304", c.statusCode());
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertTrue(seconds < 20, "the client rang for clientRingTimeoutSeconds (6 s), not the PBX's 45: " + seconds);
    }

    @Test
    void aUserWithoutAnInnerNumberIsRefusedWithATraceAndNothingRings(AsteriskPair pbx) throws Exception {
        pbx.outside("79162000055", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        Dispatch click = rig.emu.clickToCall(1, "+79162000055"); // the administrator: no UF_PHONE_INNER

        SpineRig.await(CALL, () -> health().at("/parts/clickToCall/facts/lastRefused").toString()
                .contains(click.callId()), "the refusal in /health");
        JsonNode part = health().at("/parts/clickToCall");
        assertEquals("DEGRADED", part.at("/state").asText(), part.toString());
        assertTrue(part.at("/detail").asText().contains("no inner number"), part.toString());
        assertFalse(Files.readString(pbx.worldLog()).contains("[79162000055@outside"), "nothing rang");
        CallView c = rig.call("+79162000055");
        assertFalse(c.finished(), "the box's call is left as the box made it");
    }

    @Test
    void theOperatorIsBusy(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.busy());
        pbx.outside("79162000066", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        CallView c = finished(rig.emu.clickToCall(2, "+79162000066"));
        assertEquals("603-S", c.statusCode());
        assertFalse(Files.readString(pbx.worldLog()).contains("[79162000066@outside"), "the client's phone never rang");
    }

    @Test
    void theOperatorHangsUpWhileTheClientRings(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        pbx.outside("79162000077", PhoneBehaviour.neverAnswers());
        CallView c = finished(rig.emu.clickToCall(2, "+79162000077"));
        assertEquals("603-S", c.statusCode(), "cancelled by the operator");
        assertEquals(0, c.duration());
    }

    /** The click's call, once the appliance finished it in the box. */
    CallView finished(Dispatch click) throws InterruptedException {
        SpineRig.await(CALL, () -> rig.emu.state().calls().stream()
                .anyMatch(v -> v.callId().equals(click.callId()) && v.finished()), "the click's call to be finished");
        return rig.emu.state().calls().stream().filter(v -> v.callId().equals(click.callId())).findFirst()
                .orElseThrow();
    }

    JsonNode health() {
        try {
            return Json.newMapper().readTree(rig.app.get("/health").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
