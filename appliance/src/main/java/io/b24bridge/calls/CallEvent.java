package io.b24bridge.calls;

import java.time.Instant;

/**
 * What happened to a call, in telephony terms: the call model's output. The {@code crm} package decides what
 * the CRM is told of it.
 */
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
     * @param givenCallId  the CALL_ID Bitrix24 registered the call under itself (a click-to-call the appliance
     *                     originated for OnExternalCallStart, its B24_CALL_ID): never registered again; else null
     */
    record Started(CallKey call, Instant at, Direction direction, String clientNumber, String did, String extension,
                   String trunk, String givenCallId) implements CallEvent {

        public Started(CallKey call, Instant at, Direction direction, String clientNumber, String did,
                       String extension, String trunk) {
            this(call, at, direction, clientNumber, did, extension, trunk, null);
        }
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
     * How a call ended, from the PBX's dial statuses and hangup causes (Q.850).
     */
    enum Outcome {
        /** someone talked */
        ANSWERED,
        /** nobody answered (rang out, caller gave up, no operator free) */
        NO_ANSWER,
        /** the called side was busy (DialStatus BUSY, cause 17) */
        BUSY,
        /** the called side refused the call (cause 21) */
        DECLINED,
        /** the caller cancelled an outbound dial (DialStatus CANCEL) */
        CANCELLED,
        /** the network could not carry the call (DialStatus CONGESTION, causes 34, 38) */
        CONGESTION,
        /** the called side could not be reached (DialStatus CHANUNAVAIL, causes 18, 19) */
        UNAVAILABLE,
        /** the number does not exist (causes 1, 3) */
        NOT_FOUND
    }

    /**
     * The call is over.
     *
     * @param outcome       how it ended
     * @param talkSeconds   seconds an operator talked (ring and queue time excluded)
     * @param operator      the extension that talked last, or null when nobody answered
     * @param lastRinging   the extension that rang last, or null
     * @param recordingFile the recording's path on the PBX, or null
     * @param waitSeconds   seconds from the call's start to its answer (or end, when missed)
     * @param partlySeen    the model did not see all of the call (it was in progress while the AMI link or the
     *                      appliance was down): the figures are what was seen, a lower bound; the PBX's own
     *                      record of the call tells the truth when there is one ({@link Recorded})
     */
    record Ended(CallKey call, Instant at, Outcome outcome, int talkSeconds, String operator, String lastRinging,
                 String recordingFile, int waitSeconds, boolean partlySeen) implements CallEvent {

        public Ended(CallKey call, Instant at, Outcome outcome, int talkSeconds, String operator, String lastRinging,
                     String recordingFile, int waitSeconds) {
            this(call, at, outcome, talkSeconds, operator, lastRinging, recordingFile, waitSeconds, false);
        }
    }

    /**
     * The PBX's own record of a call the model saw only in part: how it really ended ({@code outcome}: its
     * outcome, talk time, operator), told after the call is over, and the DID it came in on ({@code did}: what the
     * product's dialplan wrote into the record; null when it names none). A call found on the PBX after a restart
     * was taken at the extension it had reached by then (a queue's, a phone's), not at its DID; and the caller the
     * record names ({@code clientNumber}, null when it names none): an originate through Local channels found on the
     * PBX after a gap had no caller's number the model could see, and a register without one is refused by the box.
     */
    record Recorded(CallKey call, Instant at, Ended outcome, String did, String clientNumber) implements CallEvent {

        public Recorded(CallKey call, Instant at, Ended outcome) {
            this(call, at, outcome, null, null);
        }

        public Recorded(CallKey call, Instant at, Ended outcome, String did) {
            this(call, at, outcome, did, null);
        }
    }

    /** The call is being recorded to this file (on the PBX): known early, so a call that ends unseen keeps it. */
    record RecordingNamed(CallKey call, Instant at, String recordingFile) implements CallEvent {
    }
}
