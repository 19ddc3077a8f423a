package io.b24bridge.pbx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.asteriskjava.manager.event.AttendedTransferEvent;
import org.asteriskjava.manager.event.BlindTransferEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.PickupEvent;
import org.asteriskjava.manager.event.VarSetEvent;

import io.b24bridge.calls.CallFact;

/**
 * Turns AMI events (as asterisk-java parses them) into the call model's {@link CallFact}s; everything else
 * is dropped here. The time of a fact is the event's own {@code Timestamp} when the PBX sends one
 * ({@code timestampevents = yes} in manager.conf — recommended: durations stay right after a backlog), else
 * the time it was received.
 */
public final class AmiEventDecoder {

    /**
     * Variables the model reads (docs/asterisk/dialplan.md): the rest of the dialplan's VarSet flood is dropped
     * early. {@code B24_VOTE} becomes a {@link CallFact.Rating} of its own.
     */
    private static final Set<String> VARIABLES = Set.of(
            "MIXMONITOR_FILENAME", "B24_RECORDING", "B24_DID", "B24_NUMBER", "B24_MOBILE_OF", "B24_RESPONSIBLE",
            "B24_RATING", "B24_CALL_ID", "B24_CALLBACK");

    private AmiEventDecoder() {
    }

    /**
     * Whether the model reads this event: {@link #decode} makes a fact of it. One that cannot be decoded is read
     * (the sink counts and logs what it cannot read).
     */
    public static boolean read(ManagerEvent event) {
        try {
            return decode("", event, Instant.EPOCH) != null;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The fact an event stands for, or null when the model does not need it. */
    public static CallFact decode(String pbx, ManagerEvent event, Instant received) {
        Instant at = event.getTimestamp() != null
                ? Instant.ofEpochMilli(Math.round(event.getTimestamp() * 1000)) : received;
        return switch (event) {
            case NewChannelEvent e -> new CallFact.NewChannel(pbx, at, e.getUniqueId(), e.getLinkedid(),
                    e.getChannel(), e.getCallerIdNum(), e.getCallerIdName(), e.getContext(), e.getExten(),
                    state(e.getChannelState()));
            case NewStateEvent e -> new CallFact.StateChange(pbx, at, e.getUniqueId(), e.getLinkedId(),
                    state(e.getChannelState()));
            case VarSetEvent e when "B24_VOTE".equals(e.getVariable()) ->
                    new CallFact.Rating(pbx, at, e.getUniqueId(), e.getLinkedId(), vote(e.getValue()));
            case VarSetEvent e -> VARIABLES.contains(e.getVariable())
                    ? new CallFact.Variable(pbx, at, e.getUniqueId(), e.getLinkedId(), e.getVariable(), e.getValue())
                    : null;
            case DialBeginEvent e -> new CallFact.DialBegin(pbx, at, blank(e.getUniqueId()), e.getLinkedId(),
                    e.getCallerIdNum(), e.getExten(), e.getDestUniqueId(), e.getDestLinkedId(), e.getDestChannel(),
                    e.getDialString());
            case DialEndEvent e -> new CallFact.DialEnd(pbx, at, blank(e.getUniqueId()), e.getDestUniqueId(),
                    e.getDestChannel(), e.getDialStatus());
            case BridgeEnterEvent e -> new CallFact.BridgeEnter(pbx, at, e.getUniqueId(), e.getLinkedId(),
                    e.getBridgeUniqueId());
            case BridgeLeaveEvent e -> new CallFact.BridgeLeave(pbx, at, e.getUniqueId(), e.getLinkedId(),
                    e.getBridgeUniqueId());
            case HangupEvent e -> new CallFact.Hangup(pbx, at, e.getUniqueId(), e.getLinkedId(),
                    e.getCause() == null ? 0 : e.getCause());
            case BlindTransferEvent e -> new CallFact.BlindTransfer(pbx, at, e.getTransfererUniqueId(),
                    e.getTransfereeUniqueId(), e.getExtension(), "Success".equalsIgnoreCase(e.getResult()));
            case AttendedTransferEvent e -> new CallFact.AttendedTransfer(pbx, at, e.getOrigTransfererUniqueid(),
                    e.getSecondTransfererUniqueid(), e.getTransfereeUniqueid(), e.getTransferTargetUniqueID(),
                    "Success".equalsIgnoreCase(e.getResult()));
            case PickupEvent e -> new CallFact.Pickup(pbx, at, e.getUniqueid(), e.getTargetuniqueid());
            default -> null;
        };
    }

    /**
     * The picture of the PBX after a (re)connect, from the CoreShowChannels answer and the talking channels'
     * answer times; {@code lastSeen} is when the previous link last followed this PBX (null: unknown).
     */
    public static CallFact.ChannelsNow channelsNow(String pbx, ChannelsSnapshot snapshot, Instant lastSeen,
                                                   Instant at) {
        List<CallFact.ActiveChannel> active = new ArrayList<>();
        for (CoreShowChannelEvent c : snapshot.channels()) {
            active.add(new CallFact.ActiveChannel(c.getUniqueid(), c.getLinkedid(), c.getChannel(),
                    c.getCallerIdNum(), c.getExten(), state(c.getChannelState()), c.getBridgeid(),
                    seconds(c.getDuration()), snapshot.answeredAt().get(c.getUniqueid())));
        }
        return new CallFact.ChannelsNow(pbx, at, active, lastSeen);
    }

    /** The rating the dialplan set; 0 (no rating) for anything but one digit. */
    static int vote(String value) {
        return value != null && value.strip().matches("[0-9]") ? Integer.parseInt(value.strip()) : 0;
    }

    private static int state(Integer state) {
        return state == null ? CallFact.STATE_DOWN : state;
    }

    /** CoreShowChannels gives the duration as HH:MM:SS. */
    static long seconds(String hms) {
        if (hms == null || hms.isBlank()) {
            return 0;
        }
        long total = 0;
        for (String part : hms.split(":")) {
            try {
                total = total * 60 + Long.parseLong(part.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return total;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
