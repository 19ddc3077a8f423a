package io.b24bridge.crm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.json.Json;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static io.b24bridge.calls.CallEvent.Outcome.ANSWERED;
import static io.b24bridge.calls.CallEvent.Outcome.NO_ANSWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the CRM is told of a call the appliance saw only in part: it waits for the PBX's own record and is finished
 * from it; without a record (none kept, none in time) it is finished with what was seen, never with the gap.
 */
class CrmLifecycleGapTest {

    private static final CallKey CALL = new CallKey("pbx1", "1.0");
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    private static final String RECORDING = "/var/spool/asterisk/monitor/1.0.wav";
    private static final Settings SETTINGS = settings();

    private CrmLifecycle lifecycle = new CrmLifecycle(Map.of("pbx1", Duration.ofSeconds(30)));

    private static Settings settings() {
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Website", "leadSource": "WEB", "defaultResponsibleUserId": 7}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }

    private List<CrmCommand> feed(List<CrmLifecycle.Change> changes) {
        List<CrmCommand> out = new ArrayList<>();
        changes.forEach(ch -> out.addAll(ch.commands()));
        return out;
    }

    private List<CrmCommand> feed(CallEvent... events) {
        return feed(lifecycle.apply(List.of(events), SETTINGS));
    }

    /** Answered by 101 at T0+3, recorded; then the appliance was killed. */
    private void answeredBeforeTheGap() {
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, "79161112233", "74951234567", null, "trunk"),
                new CallEvent.RecordingNamed(CALL, T0, RECORDING),
                new CallEvent.RingStarted(CALL, T0, "101"),
                new CallEvent.Answered(CALL, T0.plusSeconds(3), "101", "answer"));
    }

    private CrmLifecycle restarted() {
        CrmLifecycle next = new CrmLifecycle(Map.of("pbx1", Duration.ofSeconds(30)));
        next.restore(List.of(lifecycle.state(CALL).orElseThrow()));
        return next;
    }

    @Test
    void aCallThatEndedWhileTheApplianceWasDownWaitsForThePbxsRecordAndTakesItsTalkTime() {
        answeredBeforeTheGap();
        lifecycle = restarted();
        List<CrmCommand> atReconnect = feed(lifecycle.endOrphans("pbx1", k -> false, T0.plusSeconds(60),
                T0.plusSeconds(10), SETTINGS));
        assertEquals(List.of(), atReconnect, "nothing is guessed while the record may come");
        assertEquals(List.of(CALL), lifecycle.awaitingRecords("pbx1"));
        assertTrue(lifecycle.state(CALL).orElseThrow().awaitingRecord(), "kept across another restart");

        CallEvent.Ended truth = new CallEvent.Ended(CALL, T0.plusSeconds(61), ANSWERED, 25, "101", null, null, 3);
        assertEquals(List.of(
                new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 25, "200", null, true),
                new CrmCommand.AttachRecording(CALL, RECORDING)),
                feed(new CallEvent.Recorded(CALL, T0.plusSeconds(61), truth)));
        assertEquals(List.of(), lifecycle.awaitingRecords("pbx1"));
        assertEquals(List.of(), feed(new CallEvent.Recorded(CALL, T0.plusSeconds(62), truth)), "once");
    }

    @Test
    void withoutARowInTheRecordsReadAfterItsWaitItIsFinishedWithWhatWasSeen() {
        answeredBeforeTheGap();
        lifecycle = restarted();
        feed(lifecycle.endOrphans("pbx1", k -> false, T0.plusSeconds(60), T0.plusSeconds(10), SETTINGS));
        assertEquals(Optional.of(T0.plusSeconds(60 + 30)), lifecycle.recordWaitEnds("pbx1"), "a reading is due then");
        assertEquals(List.of(), feed(lifecycle.recordsRead("pbx1", T0.plusSeconds(60 + 29), SETTINGS)),
                "read before its wait ended: its row may still come");
        assertEquals(List.of(), feed(lifecycle.due("pbx1", T0.plusSeconds(60 + 90), SETTINGS)),
                "the wait is over but the records were not read since: a row written in time may be there, unread");
        assertEquals(List.of(
                new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 7, "200", null, true),
                new CrmCommand.AttachRecording(CALL, RECORDING)),
                feed(lifecycle.recordsRead("pbx1", T0.plusSeconds(60 + 30), SETTINGS)),
                "answered at +3, last seen at +10: at least 7 s, never the 50 s the appliance was away");
        assertEquals(Optional.empty(), lifecycle.recordWaitEnds("pbx1"));
    }

    @Test
    void whenTheRecordsAreNeverReadItIsFinishedWithWhatWasSeenTenMinutesAfterItsWait() {
        answeredBeforeTheGap();
        lifecycle = restarted();
        feed(lifecycle.endOrphans("pbx1", k -> false, T0.plusSeconds(60), T0.plusSeconds(10), SETTINGS));
        Instant waitEnds = T0.plusSeconds(60 + 30);
        assertEquals(List.of(), feed(lifecycle.due("pbx1", waitEnds.plus(CrmLifecycle.RECORD_LONGSTOP)
                .minusSeconds(1), SETTINGS)), "the reconciliation may still come");
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 7, "200", null, true),
                feed(lifecycle.due("pbx1", waitEnds.plus(CrmLifecycle.RECORD_LONGSTOP), SETTINGS)).getFirst(),
                "no reading at all (the records cannot be read): the CRM still gets the call");
    }

    @Test
    void aPbxWhoseRecordsAreNotReadFinishesAtOnceWithWhatWasSeen() {
        lifecycle = new CrmLifecycle();
        answeredBeforeTheGap();
        CrmLifecycle next = new CrmLifecycle();
        next.restore(List.of(lifecycle.state(CALL).orElseThrow()));
        lifecycle = next;
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 7, "200", null, true),
                feed(lifecycle.endOrphans("pbx1", k -> false, T0.plusSeconds(60), T0.plusSeconds(10), SETTINGS))
                        .getFirst());
    }

    @Test
    void aCallNeverSeenAnsweredIsAnsweredWhenItsRecordSaysSo() {
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, "79161112233", "74951234567", null, "trunk"),
                new CallEvent.RingStarted(CALL, T0, "101"));
        lifecycle = restarted();
        feed(lifecycle.endOrphans("pbx1", k -> false, T0.plusSeconds(60), T0.plusSeconds(1), SETTINGS));
        CallEvent.Ended truth = new CallEvent.Ended(CALL, T0.plusSeconds(61), ANSWERED, 12, "101", null, null, 4);
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 12, "200", null, true),
                feed(new CallEvent.Recorded(CALL, T0.plusSeconds(61), truth)).getFirst(),
                "the phone answered while the appliance was down: the CRM gets the talk, not a missed call");
    }

    @Test
    void aCallAliveAcrossTheGapWaitsForItsRecordWhenItEnds() {
        answeredBeforeTheGap();
        CallEvent.Ended seen = new CallEvent.Ended(CALL, T0.plusSeconds(40), ANSWERED, 20, "101", "101", RECORDING, 3,
                true);
        assertEquals(List.of(), feed(seen));
        CallEvent.Ended truth = new CallEvent.Ended(CALL, T0.plusSeconds(41), ANSWERED, 37, "101", null, null, 3);
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 37, "200", null, true),
                feed(new CallEvent.Recorded(CALL, T0.plusSeconds(41), truth)).getFirst());
    }
    @Test
    void anOriginateFoundWithoutACallersNumberIsRegisteredWithTheNumberItsRecordNames() {
        // found on the PBX after a gap as Local channels only: no caller's number in sight, no DID, nobody rang
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, null, null, null, null));
        CallEvent.Ended seen = new CallEvent.Ended(CALL, T0.plusSeconds(20), ANSWERED, 5, "101", null, null, 2, true);
        assertEquals(List.of(), feed(seen), "partly seen: waits for the PBX's record");
        CallEvent.Ended truth = new CallEvent.Ended(CALL, T0.plusSeconds(21), ANSWERED, 9, "101", null, null, 2);

        List<CrmCommand> commands = feed(new CallEvent.Recorded(CALL, T0.plusSeconds(21), truth, null,
                "79161112233"));

        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class, commands.getFirst(),
                "registered at its finish, for the operator who talked");
        assertEquals("+79161112233", register.clientNumber(), "the box refuses a register without a number");
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 9, "200", null, true),
                commands.get(1));
    }

    @Test
    void aMissedCallFoundAtItsQueueAfterARestartIsOwnedByItsDidsRoute() {
        // found on the PBX after the restart sitting in queue 300: the model took the extension it had reached
        feed(new CallEvent.Started(CALL, T0, CallEvent.Direction.INBOUND, "79161112233", "300", null, "trunk"));
        CallEvent.Ended seen = new CallEvent.Ended(CALL, T0.plusSeconds(20), NO_ANSWER, 0, null, null, null, 20, true);
        assertEquals(List.of(), feed(seen), "partly seen: waits for the PBX's record");
        CallEvent.Ended truth = new CallEvent.Ended(CALL, T0.plusSeconds(21), NO_ANSWER, 0, null, null, null, 20);

        List<CrmCommand> commands = feed(new CallEvent.Recorded(CALL, T0.plusSeconds(21), truth, "74951234567"));

        CrmCommand.Register register = assertInstanceOf(CrmCommand.Register.class, commands.getFirst(),
                "the caller gave up: the DID's route's default responsible owns it, not nobody");
        assertEquals(CrmCommand.UserRef.user(7), register.user());
        assertEquals("74951234567", register.lineNumber());
        assertEquals("WEB", register.leadSource());
    }
}
