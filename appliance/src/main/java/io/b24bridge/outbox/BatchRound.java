package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.logging.Logger;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * When the outbox is behind (the box was away, a burst of calls), the next command of up to 50 calls goes
 * out as one {@code batch} request: one round trip and one unit of the box's rate limit instead of fifty
 * (contract §1). Order within each call holds: one command per call per round. Small recordings go in it with their
 * file, up to {@link BoxGateway#MAX_BATCH_BYTES} a batch; a larger one, or one past what the batch still carries,
 * is left to travel alone, streamed from disk.
 */
final class BatchRound {

    private static final Logger LOG = Logger.getLogger(BatchRound.class.getName());

    private final Outbox outbox;
    private final BoxGateway box;
    private final Settlement settle;
    private final CommandSender sender;
    private final Clock clock;

    BatchRound(Outbox outbox, CommandSender sender, Settlement settle, Clock clock) {
        this.outbox = outbox;
        this.box = sender.gateway();
        this.sender = sender;
        this.settle = settle;
        this.clock = clock;
    }

    /**
     * Sends the heads of the given calls (already claimed by the caller, all batchable) as one batch. What the
     * store must know around it is read and written once for the batch: the calls' CALL_IDs, the marks of the
     * commands whose repeat the box would not recognise, and the commands that went. Returns the heads left out
     * (recordings past the batch's bytes), for the caller to send alone.
     */
    List<OutboxQueue.Entry> send(List<OutboxQueue.Entry> heads) {
        List<OutboxQueue.Entry> left = new ArrayList<>();
        List<Outbox.Done> nothingToSend = new ArrayList<>();
        long bytes = 0;
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
            BoxGateway.Recording file = null;
            if (e.command() instanceof CrmCommand.AttachRecording a) {
                Optional<Path> ready;
                try {
                    ready = sender.readyRecording(a, Duration.between(e.createdAt(), clock.instant()));
                } catch (Failure f) {
                    settle.failed(e, f);
                    continue;
                }
                if (ready.isEmpty()) {
                    nothingToSend.add(new Outbox.Done(e, null)); // nothing to attach (logged): done
                    continue;
                }
                file = small(ready.get(), BoxGateway.MAX_BATCH_BYTES - bytes);
                if (file == null) {
                    left.add(e); // too large for this batch: alone, streamed from disk
                    continue;
                }
                bytes += file.content().length;
            }
            if (CommandSender.marksBeforeSending(e.command()) && !e.maybeSent()) {
                toMark.add(e);
            }
            entries.add(e);
            items.add(new BoxGateway.BatchItem(e.command(), callId, file));
        }
        settle.doneAll(nothingToSend);
        if (items.isEmpty()) {
            return left;
        }
        outbox.queue().sending(toMark);
        List<BoxGateway.BatchAnswer> answers;
        try {
            answers = box.batch(items);
        } catch (Failure f) {
            entries.forEach(e -> settle.failed(e, f));
            return left;
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
                } else if (e.command() instanceof CrmCommand.AttachRecording a) {
                    settle.failed(e, CommandSender.refusedTooLong(a, answer.failure(),
                            Duration.between(e.createdAt(), clock.instant())));
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
        return left;
    }

    /**
     * A complete recording's bytes when it is small enough for a batch ({@link BoxGateway#MAX_BATCHED_RECORDING}) and
     * for what the batch still carries; null when it must travel alone (or cannot be read here: the single way
     * says why).
     */
    private static BoxGateway.Recording small(Path file, long room) {
        try {
            long size = Files.size(file);
            if (size > BoxGateway.MAX_BATCHED_RECORDING || size > room) {
                return null;
            }
            return new BoxGateway.Recording(file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }
}
