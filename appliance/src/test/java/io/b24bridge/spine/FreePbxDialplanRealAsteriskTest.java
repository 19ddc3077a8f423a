package io.b24bridge.spine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.Scenario;
import io.b24bridge.testkit.asterisk.WorldCall;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.Dispatch;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FreePBX file as shipped (docs/asterisk/extensions_custom.conf, which includes b24bridge.conf) loaded into the
 * real Asterisk the way FreePBX loads it: its extensions.conf includes extensions_custom.conf, and the carrier trunk's
 * context is from-pstn-b24bridge (what extensions_custom.conf tells the administrator to set). A carrier call is
 * tapped and routed by the appliance to the client's responsible; a click goes out through from-internal, FreePBX's
 * default route, past the predial hook.
 */
class FreePbxDialplanRealAsteriskTest {

    /**
     * STAND-INS, not FreePBX: the few contexts of FreePBX's own generated dialplan that extensions_custom.conf jumps
     * to, as small as these calls need. from-pstn: FreePBX's inbound routes (DID 4951000NNN rings NNN);
     * from-internal: its extensions and an outbound route through the trunk; macro-dialout-trunk: its trunk dial,
     * calling the predial hook as FreePBX 17 does on Asterisk 21+ (no app_macro: a Gosub) and dialling with
     * TRUNK_RING_TIMER. B24_AGI stands in for the line in globals_custom.conf.
     */
    static final String FREEPBX_STAND_INS = """
            [general]
            static = yes
            writeprotect = yes
            clearglobalvars = yes

            [globals]
            B24_AGI=agi://127.0.0.1:%d

            [from-pstn]
            exten => _4951000XXX,1,Goto(from-internal,${EXTEN:-3},1)

            [from-internal]
            exten => _1XX,1,Dial(PJSIP/${EXTEN},20,t)
             same => n,Hangup()
            exten => _XXXXX.,1,Gosub(macro-dialout-trunk,s,1(${EXTEN}))
             same => n,Hangup()

            [macro-dialout-trunk]
            exten => s,1,Set(OUTNUM=${ARG1})
             same => n,Gosub(macro-dialout-trunk-predial-hook,s,1())
             same => n,Dial(PJSIP/${OUTNUM}@trunk,${IF($["${TRUNK_RING_TIMER}" = ""]?300:${TRUNK_RING_TIMER})},t)
             same => n,Return()

            #include extensions_custom.conf
            """.formatted(SpineRig.AGI_PORT);

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(Scenario.base().named("b24bridge-freepbx")
            .withPbxFile("extensions.conf", FREEPBX_STAND_INS)
            .withPbxFile("extensions_custom.conf", Path.of("..", "docs", "asterisk", "extensions_custom.conf"))
            .withPbxFile("b24bridge.conf", Path.of("..", "docs", "asterisk", "b24bridge.conf"))
            .withPbxFile("pjsip.conf", basePbxFile("pjsip.conf")
                    .replace("context = from-trunk\n", "context = from-pstn-b24bridge\n")));

    private static final Duration CALL = Duration.ofSeconds(45);
    private static final String DID = "4952000001";
    private static final String SERGEY = "79162000001"; // the demo's contact of user 2 (Ivan Petrov, 101)

    @TempDir
    static Path dir;
    static SpineRig rig;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(basePbxFile("pjsip.conf").contains("context = from-trunk\n"), "the trunk's context to replace");
        rig = SpineRig.start(dir, ASTERISK.pair());
        rig.settings("inbound-routes", """
                {"routes": [
                  {"did": "%s", "name": "Sales (routed)", "leadSource": "CALL", "defaultResponsibleUserId": 4,
                   "routeToResponsible": true}
                ]}""".formatted(DID));
        rig.settings("click-to-call", """
                {"enabled": true, "originateContext": "from-internal", "operatorRingTimeoutSeconds": 10,
                 "clientRingTimeoutSeconds": 10}""");
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aCarrierCallIntoFromPstnB24bridgeIsTappedAndRingsTheClientsResponsible(AsteriskPair pbx) throws Exception {
        pbx.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        pbx.phone("102", PhoneBehaviour.neverAnswers());
        WorldCall call = pbx.placeInboundCall(DID, SERGEY, WorldScript.staysUntilHungUp());
        assertEquals("16", call.awaitEnd(CALL), "answered and hung up normally");
        rig.awaitCrmCaughtUp(Duration.ofSeconds(20));

        CallView c = rig.call("+" + SERGEY);
        assertEquals(2, c.userId(), "registered for the responsible the appliance routed it to (101)");
        assertEquals(2, c.finishUserId());
        assertEquals("200", c.statusCode());
        assertTrue(c.duration() >= 1 && c.duration() <= 3, "talk time: " + c.duration());
    }

    @Test
    void aClickGoesOutThroughFromInternalPastThePredialHook(AsteriskPair pbx) throws Exception {
        pbx.phone("101", PhoneBehaviour.answersAndStays(Duration.ofSeconds(1)));
        pbx.outside("79162000011", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        Dispatch click = rig.emu.clickToCall(2, "+79162000011"); // Ivan Petrov, inner number 101

        SpineRig.await(CALL, () -> rig.emu.state().calls().stream()
                .anyMatch(v -> v.callId().equals(click.callId()) && v.finished()), "the click's call to be finished");
        CallView c = rig.emu.state().calls().stream().filter(v -> v.callId().equals(click.callId())).findFirst()
                .orElseThrow();
        assertEquals("200", c.statusCode(), "the client answered");
        assertEquals(2, c.finishUserId(), "the clicking user talked");
        assertTrue(Files.readString(pbx.worldLog()).contains("[79162000011@outside"),
                "from-internal's outbound route dialled the client through the trunk");
    }

    /** A base config of the test PBX as the testkit ships it (laid over, not copied, so it stays in step). */
    static String basePbxFile(String name) {
        try (InputStream in = AsteriskPair.class.getClassLoader().getResourceAsStream("asterisk/pbx/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no base PBX file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
