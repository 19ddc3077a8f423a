package io.b24bridge.outbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.bitrix.Batch;
import io.b24bridge.bitrix.BoxClient;
import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.ErrorClassifier;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.calls.CrmCommand;

/**
 * When the outbox is behind (the box was away, a burst of calls), the next command of up to 50 calls goes
 * out as one {@code batch} request: one round trip and one unit of the box's rate limit instead of fifty
 * (contract §1). Order within each call holds: one command per call per round.
 */
final class BatchRound {

    private static final Logger LOG = Logger.getLogger(BatchRound.class.getName());

    /** One call's command in the round. */
    record Item(OutboxStore.Entry entry, String callId, TelephonyApi.Request request) {
    }

    private final OutboxStore store;
    private final CommandExecutor executor;
    private final BoxClient client;
    private final Clock clock;

    BatchRound(OutboxStore store, CommandExecutor executor, BoxClient client, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.client = client;
        this.clock = clock;
    }

    /**
     * Sends the heads of the given calls (already claimed by the caller) as one batch.
     *
     * @return how many commands were settled (done, dead or rescheduled)
     */
    int send(List<OutboxStore.Entry> heads, Dispatcher.Counters counters) {
        List<Item> items = new ArrayList<>();
        for (OutboxStore.Entry e : heads) {
            try {
                String callId = e.command() instanceof CrmCommand.Register ? null
                        : store.bitrixCallId(e.call()).orElse(null);
                Optional<TelephonyApi.Request> request = executor.batchRequest(e.command(), callId);
                if (request.isEmpty()) {
                    store.done(e, null); // nothing to send (a card for nobody)
                    counters.sent();
                } else {
                    items.add(new Item(e, callId, request.get()));
                }
            } catch (BoxException ex) {
                Dispatcher.settleFailure(store, e, ex, clock, counters);
            }
        }
        if (items.isEmpty()) {
            return heads.size();
        }
        Batch batch = new Batch();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            if (it.entry().command() instanceof CrmCommand.Finish) {
                store.sending(it.entry());
            }
            batch.add("c" + i, it.request().method(), it.request().params());
        }
        Batch.Result result;
        try {
            result = client.batch(batch, false);
        } catch (BoxException ex) {
            for (Item it : items) {
                Dispatcher.settleFailure(store, it.entry(), ex, clock, counters);
            }
            return heads.size();
        }
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            String key = "c" + i;
            try {
                if (result.errors().containsKey(key)) {
                    Batch.Result.Error err = result.errors().get(key);
                    BoxException ex = ErrorClassifier.classify(it.request().method(), 400, err.code(), err.description());
                    if (it.entry().command() instanceof CrmCommand.Finish && ex instanceof BoxException.Fatal
                            && it.entry().state().equals("SENDING") && err.description().contains("not found")) {
                        store.done(it.entry(), null); // a finish the box took before a crash (see CommandExecutor)
                        counters.sent();
                        continue;
                    }
                    throw ex;
                }
                JsonNode answer = result.results().get(key);
                CommandExecutor.Outcome outcome = it.entry().command() instanceof CrmCommand.Register && answer != null
                        ? CommandExecutor.registered(TelephonyApi.registered(answer)) : new CommandExecutor.Outcome(null);
                store.done(it.entry(), outcome.bitrixCallId(), outcome.entity());
                counters.sent();
            } catch (BoxException ex) {
                Dispatcher.settleFailure(store, it.entry(), ex, clock, counters);
            }
        }
        LOG.fine(() -> "outbox: batch of " + items.size() + " commands");
        counters.batch();
        return heads.size();
    }

}
