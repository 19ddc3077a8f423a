package io.b24bridge.crm;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.b24bridge.calls.CallKey;

/**
 * Where the call spine keeps its changes durably: each call's new state and the commands it caused, in one
 * transaction, before anything is sent (implemented by the outbox over Derby).
 */
public interface CallJournal {

    /** Stores the changes of one PBX fact atomically; they are sent afterwards. */
    void record(List<CrmLifecycle.Change> changes);

    /** The calls a previous run left open (not ended). */
    List<CallCrmState> openCalls();

    /**
     * Whether the journal has this call at all — open, ended, or left alone (ignored): a call the PBX's records
     * show is registered by the reconciliation only when this says no.
     */
    boolean knows(CallKey call);

    /** Which of these calls the journal has ({@link #knows}), for many calls at once. */
    default Set<CallKey> known(Collection<CallKey> calls) {
        return calls.stream().filter(this::knows).collect(Collectors.toSet());
    }
}
