package io.b24bridge.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * When the outbox is behind (the box was away, a burst of calls), the next command of up to 50 calls goes
 * out as one {@code batch} request: one round trip and one unit of the box's rate limit instead of fifty
 * (contract §1). Order within each call holds: one command per call per round.
 */
final class BatchRound {

    private static final Logger LOG = Logger.getLogger(BatchRound.class.getName());

    private final Outbox outbox;
    private final BoxGateway box;
    private final Settlement settle;

    BatchRound(Outbox outbox, BoxGateway box, Settlement settle) {
        this.outbox = outbox;
        this.box = box;
        this.settle = settle;
    }

    /**
     * Sends the heads of the given calls (already claimed by the caller, all batchable) as one batch. What the
     * store must know around it is read and written once for the batch: the calls' CALL_IDs, the marks of the
     * commands whose repeat the box would not recognise, and the commands that went.
     */
    void send(List<OutboxQueue.Entry> heads) {
        List<OutboxQueue.Entry> entries = new ArrayList<>();
        List<BoxGateway.BatchItem> items = new ArrayList<>();
        List<OutboxQueue.Entry> toMark = new ArrayList<>();
        Map<CallKey, String> callIds = outbox.journal().bitrixCallIds(heads.stream()
                .filter(e -> !(e.command() instanceof CrmCommand.Register)).map(OutboxQueue.Entry::call).toList());
        for (OutboxQueue.Entry e : heads) {
            String callId = null;
            if (!(e.command() instanceof CrmCommand.Register)) {
                try {
                    callId = CommandSender.need(callIds.get(e.call()), e.command());
                } catch (Failure f) {
                    settle.failed(e, f);
                    continue;
                }
            }
            if (CommandSender.marksBeforeSending(e.command()) && !e.maybeSent()) {
                toMark.add(e);
            }
            entries.add(e);
            items.add(new BoxGateway.BatchItem(e.command(), callId));
        }
        if (items.isEmpty()) {
            return;
        }
        outbox.queue().sending(toMark);
        List<BoxGateway.BatchAnswer> answers;
        try {
            answers = box.batch(items);
        } catch (Failure f) {
            entries.forEach(e -> settle.failed(e, f));
            return;
        }
        List<Outbox.Done> done = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            OutboxQueue.Entry e = entries.get(i);
            BoxGateway.BatchAnswer answer = answers.get(i);
            try {
                if (answer.failure() == null) {
                    done.add(new Outbox.Done(e, answer.registration()));
                } else if (CommandSender.finishedBefore(e, answer.failure())) {
                    done.add(new Outbox.Done(e, null)); // a finish the box took before a crash (see CommandSender)
                } else {
                    settle.failed(e, answer.failure());
                }
            } catch (RuntimeException ex) {
                settle.unexpected(e, ex);
            }
        }
        try {
            settle.doneAll(done);
        } catch (RuntimeException ex) {
            done.forEach(d -> settle.unexpected(d.entry(), ex)); // sent again later: each is safe to repeat
        }
        LOG.fine(() -> "outbox: batch of " + items.size() + " commands");
        settle.batchSent();
    }
}
