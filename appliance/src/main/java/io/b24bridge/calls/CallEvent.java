package io.b24bridge.calls;

import java.time.Instant;

/** What happened to a call, in CRM terms: the model's output, the lifecycle's input. */
public sealed interface CallEvent {

    CallKey call();

    Instant at();

    /** The direction of a call, decided from its first legs. */
    enum Direction { INBOUND, OUTBOUND, INTERNAL }

    /**
     * A call began: inbound (client → DID), outbound (extension → client) or internal (extension → extension).
     *
     * @param clientNumber the outside party's number as the PBX gave it (inbound: caller; outbound: dialled)
     * @param did          the number the client dialled (inbound)
     * @param extension    the calling extension (outbound, internal)
     * @param trunk        the trunk endpoint the call came in or went out by
     */
    record Started(CallKey call, Instant at, Direction direction, String clientNumber, String did, String extension,
                   String trunk) implements CallEvent {
    }

    /** An extension's phone began to ring for this call. */
    record RingStarted(CallKey call, Instant at, String extension) implements CallEvent {
    }

    /** An extension's phone stopped ringing without answering (NOANSWER, BUSY, CANCEL, …). */
    record RingStopped(CallKey call, Instant at, String extension, String reason) implements CallEvent {
    }

    /** An extension answered, or took over by transfer or pickup: it is now the operator. */
    record Answered(CallKey call, Instant at, String extension, String how) implements CallEvent {
    }

    /** The caller rated the operator (1–5). */
    record Rated(CallKey call, Instant at, int vote) implements CallEvent {
    }

    /**
     * Routing (the FastAGI answer) found the caller's responsible in the CRM, or took the route's default: the
     * user the call belongs to while nobody has answered it.
     */
    record Routed(CallKey call, Instant at, int responsibleUserId) implements CallEvent {
    }

    /**
     * The operator hung up and the caller stayed for the rating IVR: the talk is over, as {@code talk} says
     * (status, talk time, operator, recording), though the caller's channel lives on until they rated or left.
     */
    record RatingStarted(CallKey call, Instant at, Ended talk) implements CallEvent {
    }

    /**
     * The call is over.
     *
     * @param statusCode    Bitrix24's STATUS_CODE: 200 answered, 304 missed, 486 busy, 603 declined, …
     * @param talkSeconds   seconds an operator talked (ring and queue time excluded)
     * @param operator      the extension that talked last, or null when nobody answered
     * @param lastRinging   the extension that rang last, or null
     * @param recordingFile the recording's path on the PBX, or null
     * @param waitSeconds   seconds from the call's start to its answer (or end, when missed)
     * @param partlySeen    the model did not see all of the call (it was in progress while the AMI link or the
     *                      appliance was down): the figures are what was seen, a lower bound; the PBX's own
     *                      record of the call tells the truth when there is one ({@link Recorded})
     */
    record Ended(CallKey call, Instant at, String statusCode, int talkSeconds, String operator, String lastRinging,
                 String recordingFile, int waitSeconds, boolean partlySeen) implements CallEvent {

        public Ended(CallKey call, Instant at, String statusCode, int talkSeconds, String operator, String lastRinging,
                     String recordingFile, int waitSeconds) {
            this(call, at, statusCode, talkSeconds, operator, lastRinging, recordingFile, waitSeconds, false);
        }
    }

    /**
     * The PBX's own record of a call the model saw only in part: how it really ended ({@code outcome}: status,
     * talk time, operator), told after the call is over.
     */
    record Recorded(CallKey call, Instant at, Ended outcome) implements CallEvent {
    }

    /** The call is being recorded to this file (on the PBX): known early, so a call that ends unseen keeps it. */
    record RecordingNamed(CallKey call, Instant at, String recordingFile) implements CallEvent {
    }
}
