package io.b24bridge.crm;

import java.util.ArrayList;
import java.util.List;

import io.b24bridge.calls.CallKey;

/** The real journal (the outbox's, in Derby) that also keeps, in order, every change it stored: what a test reads. */
final class RecordingJournal implements CallJournal {

    private final CallJournal journal;
    final List<CrmLifecycle.Change> stored = new ArrayList<>();

    RecordingJournal(CallJournal journal) {
        this.journal = journal;
    }

    @Override
    public void record(List<CrmLifecycle.Change> changes) {
        journal.record(changes);
        stored.addAll(changes);
    }

    @Override
    public List<CallCrmState> openCalls() {
        return journal.openCalls();
    }

    @Override
    public boolean knows(CallKey call) {
        return journal.knows(call);
    }
}
