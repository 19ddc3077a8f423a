package io.b24bridge.outbox;

import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;

/**
 * Where the outbox hands the missed-call task commands ({@link CrmCommand.MissedCallTask},
 * {@link CrmCommand.CallerReached}) when their turn comes: the {@code tasks} package decides and talks to the box.
 * A failure says what the outbox does next, as for every command (the box away: the command waits).
 */
public interface TaskCommands {

    /** No task handling (tests of the dispatcher alone): the commands are done without effect. */
    TaskCommands NONE = (e, entity) -> { };

    /**
     * @param e      the outbox entry ({@link OutboxQueue.Entry#maybeSent}: it may have gone before a crash)
     * @param entity the CRM entity register bound the call to, or null
     */
    void send(OutboxQueue.Entry e, CrmEntity entity) throws BoxGateway.Failure;
}
