package io.b24bridge.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.b24bridge.testkit.bitrix.BoxEmulator;
import io.b24bridge.testkit.bitrix.BoxState;
import io.b24bridge.testkit.bitrix.CallView;
import io.b24bridge.testkit.pbx.Replay;

/**
 * The calls placed against what the CRM holds (the box emulator's state), call by call through the Linkedid the
 * appliance sends as EXTERNAL_CALL_ID ({@code <pbx>:<Linkedid>}).
 *
 * @param placed          calls the PBX simulator placed
 * @param inCrm           of those, calls the CRM has (registered)
 * @param finished        of those, calls finished in the CRM
 * @param recorded        of those, calls with their recording attached
 * @param duplicates      calls the CRM has more than once (another CALL_ID for the same call, or a second activity)
 * @param reRegistrations registers the box recognised as a repeat of one it had (harmless: one call)
 * @param outOfOrder      show, hide or finish that reached the box while it had the call closed, other than a
 *                        repeated finish (before its register, or a card after its finish)
 * @param repeatedFinish  finishes that reached the box for a call it had finished already (a safe repeat)
 * @param lost            Linkedids of calls placed and not finished in the CRM (the first 20)
 */
public record CrmLedger(int placed, int inCrm, int finished, int recorded, int duplicates, int reRegistrations,
                        int outOfOrder, int repeatedFinish, List<String> lost) {

    /** Calls placed and not finished in the CRM. */
    public int lostCount() {
        return placed - finished;
    }

    public static CrmLedger of(List<Replay.Placed> placedCalls, BoxEmulator emu) {
        BoxState state = emu.state();
        Map<String, List<CallView>> byLinkedid = new HashMap<>();
        for (CallView c : state.calls()) {
            String ext = c.externalCallId();
            byLinkedid.computeIfAbsent(ext.substring(ext.indexOf(':') + 1), k -> new ArrayList<>()).add(c);
        }
        Map<String, Integer> activities = new HashMap<>();
        state.activities().forEach(a -> activities.merge(String.valueOf(a.callId()), 1, Integer::sum));
        Set<String> callIdsOfPlaced = new HashSet<>();
        int inCrm = 0;
        int finished = 0;
        int recorded = 0;
        int duplicates = 0;
        int reRegistrations = 0;
        List<String> lost = new ArrayList<>();
        for (Replay.Placed p : placedCalls) {
            List<CallView> calls = byLinkedid.getOrDefault(p.linkedid(), List.of());
            if (!calls.isEmpty()) {
                inCrm++;
            }
            if (calls.stream().anyMatch(CallView::finished)) {
                finished++;
            } else if (lost.size() < 20) {
                lost.add(p.linkedid() + " (" + p.transcript() + (calls.isEmpty() ? ", never registered)"
                        : ", not finished)"));
            }
            if (calls.stream().anyMatch(c -> c.record() != null)) {
                recorded++;
            }
            duplicates += Math.max(0, calls.size() - 1);
            for (CallView c : calls) {
                callIdsOfPlaced.add(c.callId());
                reRegistrations += Math.max(0, c.registerCount() - 1);
                duplicates += Math.max(0, activities.getOrDefault(c.callId(), 0) - 1);
            }
        }
        Set<String> callIdsOfAnyCall = new HashSet<>();
        state.calls().forEach(c -> callIdsOfAnyCall.add(c.callId()));
        int outOfOrder = 0;
        int repeatedFinish = 0;
        for (Map.Entry<String, List<String>> late : emu.lateCommands().entrySet()) {
            if (!callIdsOfPlaced.contains(late.getKey()) && !late.getKey().isEmpty()) {
                // another scenario's call (the emulator outlives a scenario) is that scenario's to count
                if (!callIdsOfAnyCall.contains(late.getKey())) {
                    outOfOrder += late.getValue().size(); // a CALL_ID the box never gave
                }
                continue;
            }
            for (String what : late.getValue()) {
                if (what.equals("finish after finish")) {
                    repeatedFinish++;
                } else {
                    outOfOrder++;
                }
            }
        }
        return new CrmLedger(placedCalls.size(), inCrm, finished, recorded, duplicates, reRegistrations, outOfOrder,
                repeatedFinish, List.copyOf(lost));
    }

    @Override
    public String toString() {
        return "placed " + placed + ", in the CRM " + inCrm + ", finished " + finished + ", recorded " + recorded
                + ", duplicates " + duplicates + ", re-registrations " + reRegistrations + ", out of order "
                + outOfOrder + ", repeated finishes " + repeatedFinish + (lost.isEmpty() ? "" : ", lost e.g. " + lost);
    }
}
