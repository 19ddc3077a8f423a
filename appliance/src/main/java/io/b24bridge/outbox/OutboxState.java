package io.b24bridge.outbox;

/**
 * Where a command of the outbox stands; stored by name in {@code OUTBOX.STATE} (V003).
 */
public enum OutboxState {
    /** to send */
    PENDING,
    /** sent, or about to be, and its answer not recorded: a crash may have cut in, so a repeat is checked for */
    SENDING,
    /** the box took it */
    DONE,
    /** failed for good: an operator may retry it; later commands of the call wait behind it */
    DEAD;

    /** The states still to be sent. */
    static final String WAITING_SQL = "('" + PENDING + "', '" + SENDING + "')";
}
