package io.b24bridge.calls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmLifecycle;
import io.b24bridge.json.Json;
import io.b24bridge.settings.Section;
import io.b24bridge.settings.SectionValue;
import io.b24bridge.settings.Settings;
import io.b24bridge.settings.SettingsJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The fault suite's kill scenario lost 6–10 outbound calls of 1,000 whenever the appliance came back within a few
 * seconds (registered in the CRM, never finished): calls registered before the kill whose client had hung up just
 * as the link came back. The PBX then lists only the calling phone's channel (the trunk's is gone; in the replayed
 * call the phone hangs up ~1.2 s after the trunk), so the call found on the PBX cannot be told from a phone that
 * dialled nobody and is not announced; when the phone hung up, the model let it go without an end — and the CRM's
 * call, carried over from before the restart, waited for one for ever. A call found after a gap is the CRM's
 * business if the CRM had it before: its end is told, and the PBX's record finishes it.
 */
class OutboundCallEndingAsTheLinkComesBackTest {

    private static final CallKey CALL = new CallKey("pbx1", "4.0");
    private static final Duration RECORD_WAIT = Duration.ofSeconds(30);

    @Test
    void anOutboundCallWhoseClientHungUpJustBeforeTheLinkCameBackIsFinishedFromItsRecord() {
        // before the kill: 101 calls the client through the trunk, the client answers; the CRM has the call
        CrmLifecycle before = new CrmLifecycle(Map.of("pbx1", RECORD_WAIT));
        CallScript beforeKill = new CallScript();
        beforeKill.channel("4.0", "4.0", "PJSIP/101-00000005", "101", "from-phones", "79161112233")
                .channel("4.1", "4.0", "PJSIP/trunk-00000006", null, "from-trunk", "s")
                .dial("4.0", "4.0", "79161112233", "4.1", "PJSIP/trunk-00000006", "79161112233@trunk")
                .after(2).dialEnd("4.0", "4.1", "PJSIP/trunk-00000006", "ANSWER");
        assertInstanceOf(CrmCommand.Register.class, commands(before.apply(beforeKill.events(), SETTINGS)).getFirst());

        // killed and started again: the call carried over; the client hangs up as the link comes back, so the PBX
        // lists the phone's channel only
        CrmLifecycle after = new CrmLifecycle(Map.of("pbx1", RECORD_WAIT));
        after.restore(List.of(before.state(CALL).orElseThrow()));
        CallScript afterRestart = new CallScript();
        afterRestart.after(12).apply(new CallFact.ChannelsNow("pbx1", afterRestart.now(), List.of(
                new CallFact.ActiveChannel("4.0", "4.0", "PJSIP/101-00000005", "101", "79161112233",
                        CallFact.STATE_UP, "", 12))));
        List<CrmCommand> atReconnect = commands(after.apply(afterRestart.events(), SETTINGS));
        atReconnect.addAll(commands(after.endOrphans("pbx1", afterRestart.tracker()::follows, afterRestart.now(),
                null, SETTINGS)));
        assertEquals(List.of(), atReconnect, "still on the PBX: nothing to tell yet");

        int seen = afterRestart.events().size();
        afterRestart.after(1).hangup("4.0", "4.0", 16);
        after.apply(afterRestart.events().subList(seen, afterRestart.events().size()), SETTINGS);
        assertEquals(List.of(CALL), after.awaitingRecords("pbx1"), "its end is told: it waits for the PBX's record");

        CallEvent.Ended truth = new CallEvent.Ended(CALL, afterRestart.now(), CallEvent.Outcome.ANSWERED, 10, "101",
                null, null, 2);
        List<CrmCommand> finished = commands(after.apply(List.of(new CallEvent.Recorded(CALL, afterRestart.now(),
                truth)), SETTINGS));
        assertEquals(new CrmCommand.Finish(CALL, CrmCommand.UserRef.extension("101"), 10, "200", null, true),
                finished.getFirst(), "finished in the CRM from the PBX's record: " + finished);
    }

    private static List<CrmCommand> commands(List<CrmLifecycle.Change> changes) {
        List<CrmCommand> out = new ArrayList<>();
        changes.forEach(ch -> out.addAll(ch.commands()));
        return out;
    }

    private static final Settings SETTINGS = settings();

    private static Settings settings() {
        SettingsJson json = new SettingsJson(Json.newMapper());
        Map<Section, SectionValue> values = new EnumMap<>(Section.class);
        values.put(Section.INBOUND_ROUTES, json.readSection(Section.INBOUND_ROUTES, """
                {"routes": [{"did": "74951234567", "name": "Website", "defaultResponsibleUserId": 7}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        return new Settings(1, values);
    }
}
