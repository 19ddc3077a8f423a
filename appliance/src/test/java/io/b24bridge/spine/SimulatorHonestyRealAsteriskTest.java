package io.b24bridge.spine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.b24bridge.testkit.asterisk.AmiRecorder;
import io.b24bridge.testkit.asterisk.AsteriskPair;
import io.b24bridge.testkit.asterisk.PhoneBehaviour;
import io.b24bridge.testkit.asterisk.RealAsterisk;
import io.b24bridge.testkit.asterisk.WorldScript;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.bitrix.CrmEntity;
import io.b24bridge.testkit.pbx.PbxSimulator;
import io.b24bridge.testkit.pbx.Replay;
import io.b24bridge.testkit.pbx.ReplayOptions;
import io.b24bridge.testkit.pbx.Transcript;

import static io.b24bridge.testkit.asterisk.PhoneBehaviour.answers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PBX simulator stays honest: the same calls made on the real Asterisk 22 (real PJSIP calls, the product's own
 * dialplan and its FastAGI routing) and replayed by the simulator from what that Asterisk sent over AMI, each
 * followed by its own appliance into its own box emulator (the same demo CRM, the same routes) — the CRM must end
 * up the same: each call's kind, number, line, CRM entity (or new lead, its source and owner), who saw the card, who
 * finished it with which status and talk time, whether its recording is attached, registered once. What the
 * simulator cannot give, the appliance's FastAGI exchange (the real PBX asks the route before it dials; replayed,
 * the call is registered at its dial), must not change the outcome.
 */
class SimulatorHonestyRealAsteriskTest {

    @RegisterExtension
    static final RealAsterisk ASTERISK = RealAsterisk.withScenario(SpineRig.SCENARIO);

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** One call, placed on the real PBX while its AMI is recorded. */
    private interface RealCall {
        void place(AsteriskPair pbx) throws Exception;
    }

    @Test
    void theSameCallsOnTheRealAsteriskAndReplayedByTheSimulatorMakeTheSameCrm(AsteriskPair pbx) throws Exception {
        List<String> transcripts = new ArrayList<>();
        Map<String, Integer> realTalk = new HashMap<>();
        Map<String, Integer> replayedTalk = new HashMap<>();
        List<String> real;
        try (SpineRig rig = SpineRig.start(dir.resolve("real"), pbx)) {
            // a known client answered by the extension the DID rings (Sergey Kuznetsov, user 2's contact)
            transcripts.add(recorded(pbx, p -> {
                p.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
                p.placeInboundCall("4951000101", "79162000001", WorldScript.staysUntilHungUp()).awaitEnd(CALL);
            }));
            // an unknown number: a lead with the route's source
            transcripts.add(recorded(pbx, p -> {
                p.phone("101", answers(Duration.ofSeconds(1), Duration.ofSeconds(2)));
                p.placeInboundCall("4951000101", "79990001122", WorldScript.staysUntilHungUp()).awaitEnd(CALL);
            }));
            // the ring group: 101 never answers, 102 does
            transcripts.add(recorded(pbx, p -> {
                p.phone("101", PhoneBehaviour.neverAnswers());
                p.phone("102", answers(Duration.ofSeconds(2), Duration.ofSeconds(2)));
                p.placeInboundCall("4951000200", "79990002233", WorldScript.staysUntilHungUp()).awaitEnd(CALL);
            }));
            // missed: the caller hangs up while 101 rings
            transcripts.add(recorded(pbx, p -> {
                p.phone("101", PhoneBehaviour.neverAnswers());
                p.placeInboundCall("4951000101", "79990003344",
                        WorldScript.hangsUpWhileRinging(Duration.ofSeconds(4))).awaitEnd(CALL);
            }));
            // outbound from 101 to a known client
            transcripts.add(recorded(pbx, p -> {
                p.outside("79162000002", answers(Duration.ofSeconds(1), Duration.ofSeconds(3)));
                p.placePhoneCall("101", "79162000002", WorldScript.staysUntilHungUp()).awaitEnd(CALL);
            }));
            rig.awaitCrmCaughtUp(SETTLE);
            real = crm(rig, realTalk);
        }
        assertEquals(5, real.size(), "five calls in the CRM of the real PBX: " + real);
        Path saved = Path.of("target", "simulator-honesty");
        java.nio.file.Files.createDirectories(saved);
        for (int i = 0; i < transcripts.size(); i++) { // what was replayed, for a failure's reader
            java.nio.file.Files.writeString(saved.resolve("call-" + i + ".txt"), transcripts.get(i));
        }

        List<String> replayed;
        Path simRecordings = dir.resolve("simulated-recordings");
        try (PbxSimulator sim = PbxSimulator.start("b24bridge", "test-secret")
                .recordings(simRecordings, "/var/spool/asterisk-pbx/monitor", 8_000); // where the dialplan names them
             SpineRig rig = SpineRig.start(dir.resolve("simulated"),
                     SpineRig.pbxSection(sim.host(), sim.port(), "b24bridge", "test-secret", simRecordings, 0))) {
            for (int i = 0; i < transcripts.size(); i++) {
                Replay r = sim.replay(Transcript.parse("real-" + i, transcripts.get(i)),
                        ReplayOptions.of(1, 0).atRecordedPace());
                assertTrue(r.await(CALL), "call " + i + " replayed");
            }
            try {
                rig.awaitCrmCaughtUp(SETTLE);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + rig.app.appliance().engine().callsInProgress()
                        + " calls in progress, outbox " + rig.app.appliance().outbox().report().counts() + "; the CRM:\n"
                        + String.join("\n", crm(rig, new HashMap<>())) + "\nthe real PBX's:\n" + String.join("\n", real), e);
            }
            replayed = crm(rig, replayedTalk);
        }
        assertEquals(String.join("\n", real), String.join("\n", replayed),
                "the CRM the simulator's replay makes is the real PBX's");
        // the replay stamps each event with its send time at the recorded pace: on a busy machine a hangup sent a
        // little late may make a second more
        realTalk.forEach((number, seconds) -> assertTrue(Math.abs(seconds - replayedTalk.get(number)) <= 1,
                number + " talked " + seconds + " s on the real PBX, " + replayedTalk.get(number) + " s replayed"));
    }

    /** Records what the real PBX sends the appliance's AMI user while one call is made. */
    private static String recorded(AsteriskPair pbx, RealCall call) throws Exception {
        try (AmiRecorder recorder = AmiRecorder.start(pbx.pbxAmi())) {
            Thread.sleep(200); // the login's FullyBooted before the call
            call.place(pbx);
            pbx.awaitIdle(CALL);
            Thread.sleep(500); // the CDRs come right after the last hangup
            return recorder.stop();
        }
    }

    /** Each call as the CRM holds it, in words that do not depend on ids or times of the run. */
    private static List<String> crm(SpineRig rig, Map<String, Integer> talk) {
        return rig.emu.state().calls().stream().sorted(Comparator.comparing(CallView::phoneNumber)).map(c -> {
            talk.put(c.phoneNumber(), c.duration());
            String lead = c.createdLeadId() == null ? "no new lead" : rig.emu.state().lead(c.createdLeadId())
                    .map(CrmEntity::fields).map(f -> "new lead source " + f.get("SOURCE_ID") + " owner "
                            + f.get("ASSIGNED_BY_ID")).orElse("lead missing");
            List<Integer> shown = c.cardLog().stream().filter(e -> e.action().equals("SHOW")).map(e -> e.userId())
                    .distinct().sorted().toList();
            boolean recording = c.record() != null
                    || rig.emu.state().activitiesOf(c.callId()).stream().anyMatch(a -> a.record() != null);
            return c.phoneNumber() + ": type " + c.type() + ", line " + c.lineNumber() + ", user " + c.userId()
                    + ", entity " + c.crmEntityType() + ", " + lead + ", shown to " + shown + ", open for "
                    + c.cardVisibleTo() + ", finished " + c.finished() + " by " + c.finishUserId() + " status "
                    + c.statusCode() + ", talked " + (c.duration() != null && c.duration() > 0) + ", recording "
                    + recording + ", registered " + c.registerCount() + "x";
        }).toList();
    }
}
