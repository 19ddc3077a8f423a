package io.b24bridge.callback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a callback needs from Bitrix24: the form's entity (its name and responsible), the CRM call (register with the
 * callback type, bound to the entity; finished as missed when nobody answered) and the task set outside working hours.
 * Implemented over the box's REST by {@link BoxCallbackCrm}.
 */
public interface CallbackCrm {

    /** A CRM entity as a callback meets it: its name (for the operator's caller ID) and responsible, if any. */
    record Entity(String type, int id, String name, Integer responsibleId) {
    }

    /** The entity, empty when the CRM does not have it (deleted since the form, or not readable). */
    Optional<Entity> entity(String type, int id) throws Failed;

    /** telephony.externalcall.register with TYPE 4 (callback), bound to the entity; returns the CALL_ID. */
    String register(int userId, CallbackRequest request, String externalCallId, Instant startedAt) throws Failed;

    /** telephony.externalcall.finish of a callback nobody answered: a missed callback (304) on {@code userId}. */
    void finishMissed(String callId, int userId, String why) throws Failed;

    /** tasks.task.add: the callback to make in the first working hour; returns the task id. */
    Integer addTask(String title, String description, int responsibleId, Instant deadline, List<String> bindings)
            throws Failed;

    /** The box did not do it (away, refusing): the reason, and whether trying again later may help. */
    final class Failed extends Exception {

        private final boolean retryable;

        public Failed(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
