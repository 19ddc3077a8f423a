package io.b24bridge.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallKey;

/**
 * The changes of a run of facts, merged per call into one change: the call's last state, every command in the
 * order it was made, ended when any step ended it, every rating, and the CALL_ID Bitrix24 gave a click-to-call.
 * Stored as one, they are what storing each step in turn would have left: the same rows, the same commands in the
 * same order.
 */
final class ChangeRun {

    private final Map<CallKey, List<CrmLifecycle.Change>> byCall = new LinkedHashMap<>();

    void addAll(List<CrmLifecycle.Change> changes) {
        for (CrmLifecycle.Change c : changes) {
            byCall.computeIfAbsent(c.call(), k -> new ArrayList<>(2)).add(c);
        }
    }

    boolean isEmpty() {
        return byCall.isEmpty();
    }

    /** One change per call, calls in the order of their first change. */
    List<CrmLifecycle.Change> merged() {
        List<CrmLifecycle.Change> out = new ArrayList<>(byCall.size());
        for (List<CrmLifecycle.Change> steps : byCall.values()) {
            if (steps.size() == 1) {
                out.add(steps.getFirst());
                continue;
            }
            List<CrmCommand> commands = new ArrayList<>();
            List<CrmLifecycle.Rating> ratings = new ArrayList<>();
            boolean ended = false;
            String givenCallId = null;
            for (CrmLifecycle.Change s : steps) {
                commands.addAll(s.commands());
                ratings.addAll(s.ratings());
                ended |= s.ended();
                if (s.givenCallId() != null) {
                    // a click that started and ended in one run (a busy operator, a loaded machine): without its
                    // CALL_ID the journal has nothing to finish it under, and the finish dies as a dead letter
                    givenCallId = s.givenCallId();
                }
            }
            CrmLifecycle.Change last = steps.getLast();
            out.add(new CrmLifecycle.Change(last.call(), last.state(), commands, ended, ratings, givenCallId));
        }
        return out;
    }
}
