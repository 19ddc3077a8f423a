package io.b24bridge.calls;

import java.time.Instant;
import java.util.List;

/**
 * What the PBX tells about its channels, reduced to what the call model needs. The {@code pbx} package turns
 * AMI events into these; the model never sees AMI itself. {@code at} is when it happened on the PBX (AMI's
 * {@code Timestamp} when the PBX sends it) or when it arrived.
 */
public sealed interface CallFact {

    String pbx();

    Instant at();

    /** Channel states as Asterisk numbers them (ChannelState). */
    int STATE_DOWN = 0;
    int STATE_RING = 4;
    int STATE_RINGING = 5;
    int STATE_UP = 6;
    int STATE_BUSY = 7;

    /** A channel appeared (Newchannel). */
    record NewChannel(String pbx, Instant at, String uniqueid, String linkedid, String channel, String callerNumber,
                      String callerName, String context, String exten, int state) implements CallFact {
    }

    /** A channel's state changed (Newstate): ringing, up, busy. */
    record StateChange(String pbx, Instant at, String uniqueid, String linkedid, int state) implements CallFact {
    }

    /** A dialplan variable was set on a channel (VarSet): the DID, the recording file, … */
    record Variable(String pbx, Instant at, String uniqueid, String linkedid, String name, String value)
            implements CallFact {
    }

    /**
     * A channel started dialling another (DialBegin); {@code callerUniqueid} is null for an originate.
     * {@code callerNumber} and {@code callerExten} are the dialling channel's caller ID and the extension its
     * dialplan runs at when it dials: the client and the DID on inbound calls.
     */
    record DialBegin(String pbx, Instant at, String callerUniqueid, String linkedid, String callerNumber,
                     String callerExten, String destUniqueid, String destLinkedid, String destChannel,
                     String dialString)
            implements CallFact {
    }

    /** A dial ended (DialEnd): ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL, … */
    record DialEnd(String pbx, Instant at, String callerUniqueid, String destUniqueid, String destChannel,
                   String status) implements CallFact {
    }

    /** A channel entered a bridge (BridgeEnter). */
    record BridgeEnter(String pbx, Instant at, String uniqueid, String linkedid, String bridgeId) implements CallFact {
    }

    /** A channel left a bridge (BridgeLeave). */
    record BridgeLeave(String pbx, Instant at, String uniqueid, String linkedid, String bridgeId) implements CallFact {
    }

    /** A channel hung up (Hangup) with its Q.850 cause. */
    record Hangup(String pbx, Instant at, String uniqueid, String linkedid, int cause) implements CallFact {
    }

    /** A blind transfer (BlindTransfer): the transferee is sent to {@code extension}. */
    record BlindTransfer(String pbx, Instant at, String transfererUniqueid, String transfereeUniqueid,
                         String extension, boolean success) implements CallFact {
    }

    /**
     * An attended transfer (AttendedTransfer): the transferee (the client) is now with the transfer target
     * (the colleague consulted on a second call, whose channel may carry the other call's Linkedid).
     */
    record AttendedTransfer(String pbx, Instant at, String origTransfererUniqueid, String secondTransfererUniqueid,
                            String transfereeUniqueid, String transferTargetUniqueid, boolean success)
            implements CallFact {
    }

    /** A ringing channel was picked up by another phone (Pickup). */
    record Pickup(String pbx, Instant at, String pickerUniqueid, String targetUniqueid) implements CallFact {
    }

    /** The caller's rating of the operator, from the rating IVR. */
    record Rating(String pbx, Instant at, String uniqueid, String linkedid, int vote) implements CallFact {
    }

    /**
     * The channels the PBX has right now, after a (re)connect: calls the model knows but the PBX no longer
     * has ended while the link was down; channels it does not know are adopted.
     *
     * @param lastSeen the last moment the previous link was known to be following this PBX (its last event or
     *                 tick, kept across restarts), or null when unknown: what happened after it was not seen
     */
    record ChannelsNow(String pbx, Instant at, List<ActiveChannel> channels, Instant lastSeen) implements CallFact {

        public ChannelsNow(String pbx, Instant at, List<ActiveChannel> channels) {
            this(pbx, at, channels, null);
        }
    }

    /**
     * One channel of {@link ChannelsNow}.
     *
     * @param secondsUp  seconds since the channel was created (CoreShowChannels' Duration)
     * @param answeredAt when the channel answered, as the PBX's own call record says ({@code CDR(answer)}), or
     *                   null when not answered or not known
     */
    record ActiveChannel(String uniqueid, String linkedid, String channel, String callerNumber, String exten,
                         int state, String bridgeId, long secondsUp, Instant answeredAt) {

        public ActiveChannel(String uniqueid, String linkedid, String channel, String callerNumber, String exten,
                             int state, String bridgeId, long secondsUp) {
            this(uniqueid, linkedid, channel, callerNumber, exten, state, bridgeId, secondsUp, null);
        }
    }

    /**
     * What the PBX's own call records (its CDRs: Master.csv, FreePBX's cdr table) say of a call the model saw only
     * in part (it was in progress while the AMI link or the appliance was down): every record row of its Linkedid.
     */
    record PbxRecord(String pbx, Instant at, String linkedid, List<RecordedLeg> legs) implements CallFact {

        public PbxRecord {
            legs = List.copyOf(legs);
        }
    }

    /**
     * One CDR row: party A's channel dialled party B's ({@code dstChannel}, may be blank); {@code answer} is null
     * when B never answered.
     *
     * @param disposition   ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION
     * @param src           party A's caller number (the client, on an inbound call)
     * @param dst           the extension party A's dialplan ran at (the number dialled, on an outbound call)
     * @param did           the DID the client dialled, when the PBX's record tells it (the product's dialplan writes
     *                      it into the CDR's userfield; FreePBX keeps it in its own column), else null
     * @param recordingFile the call's recording as the PBX names it, when the record tells it, else null
     */
    record RecordedLeg(String channel, String dstChannel, Instant start, Instant answer, Instant end,
                       String disposition, String src, String dst, String did, String recordingFile) {

        /** A row read only for the talk it tells (who answered, when). */
        public RecordedLeg(String channel, String dstChannel, Instant start, Instant answer, Instant end,
                           String disposition) {
            this(channel, dstChannel, start, answer, end, disposition, null, null, null, null);
        }
    }

    /** Time passes: lets held decisions (register after a wait) happen when no event comes. */
    record Tick(String pbx, Instant at) implements CallFact {
    }
}
