package io.b24bridge.pbx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

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

    /**
     * Asterisk's own bounds (include/asterisk/channel.h): a Uniqueid or Linkedid at most AST_MAX_PUBLIC_UNIQUEID (149)
     * plus the ";2" of a Local channel's second half; AST_CHANNEL_NAME 80 (kept with room: Local channels' names
     * carry a context); AST_MAX_EXTENSION and AST_MAX_CONTEXT 80. What is longer did not come from an Asterisk.
     */
    static final int MAX_ID = 151;
    static final int MAX_CHANNEL = 256;
    static final int MAX_EXTENSION = 80;
    static final int MAX_NAME = 256;
    static final int MAX_DIAL_STRING = 1024;
    static final int MAX_PATH = 4096;
    static final int MAX_KEY = 200;
    /** 2100-01-01: a later Timestamp is garbled, not a PBX's clock. */
    private static final double LATEST_TIMESTAMP = 4_102_444_800d;
    private static final Logger LOG = Logger.getLogger(AmiEventDecoder.class.getName());

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
        Instant at = time(event.getTimestamp(), received);
        return switch (event) {
            case NewChannelEvent e -> new CallFact.NewChannel(pbx, at, id("Uniqueid", e.getUniqueId()),
                    id("Linkedid", e.getLinkedid()), channel(e.getChannel()), text(e.getCallerIdNum(), MAX_EXTENSION),
                    text(e.getCallerIdName(), MAX_NAME), text(e.getContext(), MAX_EXTENSION),
                    text(e.getExten(), MAX_EXTENSION), state(e.getChannelState()));
            case NewStateEvent e -> new CallFact.StateChange(pbx, at, id("Uniqueid", e.getUniqueId()),
                    id("Linkedid", e.getLinkedId()), state(e.getChannelState()));
            case VarSetEvent e when "B24_VOTE".equals(e.getVariable()) -> new CallFact.Rating(pbx, at,
                    id("Uniqueid", e.getUniqueId()), id("Linkedid", e.getLinkedId()), vote(e.getValue()));
            case VarSetEvent e -> VARIABLES.contains(e.getVariable())
                    ? new CallFact.Variable(pbx, at, id("Uniqueid", e.getUniqueId()), id("Linkedid", e.getLinkedId()),
                    e.getVariable(), value(e.getVariable(), e.getValue()))
                    : null;
            case DialBeginEvent e -> new CallFact.DialBegin(pbx, at, blank(id("Uniqueid", e.getUniqueId())),
                    id("Linkedid", e.getLinkedId()), text(e.getCallerIdNum(), MAX_EXTENSION),
                    text(e.getExten(), MAX_EXTENSION), id("DestUniqueid", e.getDestUniqueId()),
                    id("DestLinkedid", e.getDestLinkedId()), channel(e.getDestChannel()),
                    text(e.getDialString(), MAX_DIAL_STRING));
            case DialEndEvent e -> new CallFact.DialEnd(pbx, at, blank(id("Uniqueid", e.getUniqueId())),
                    id("DestUniqueid", e.getDestUniqueId()), channel(e.getDestChannel()),
                    text(e.getDialStatus(), MAX_EXTENSION));
            case BridgeEnterEvent e -> new CallFact.BridgeEnter(pbx, at, id("Uniqueid", e.getUniqueId()),
                    id("Linkedid", e.getLinkedId()), id("BridgeUniqueid", e.getBridgeUniqueId()));
            case BridgeLeaveEvent e -> new CallFact.BridgeLeave(pbx, at, id("Uniqueid", e.getUniqueId()),
                    id("Linkedid", e.getLinkedId()), id("BridgeUniqueid", e.getBridgeUniqueId()));
            case HangupEvent e -> new CallFact.Hangup(pbx, at, id("Uniqueid", e.getUniqueId()),
                    id("Linkedid", e.getLinkedId()), e.getCause() == null ? 0 : e.getCause());
            case BlindTransferEvent e -> new CallFact.BlindTransfer(pbx, at,
                    id("TransfererUniqueid", e.getTransfererUniqueId()),
                    id("TransfereeUniqueid", e.getTransfereeUniqueId()), text(e.getExtension(), MAX_EXTENSION),
                    "Success".equalsIgnoreCase(e.getResult()));
            case AttendedTransferEvent e -> new CallFact.AttendedTransfer(pbx, at,
                    id("OrigTransfererUniqueid", e.getOrigTransfererUniqueid()),
                    id("SecondTransfererUniqueid", e.getSecondTransfererUniqueid()),
                    id("TransfereeUniqueid", e.getTransfereeUniqueid()),
                    id("TransferTargetUniqueid", e.getTransferTargetUniqueID()),
                    "Success".equalsIgnoreCase(e.getResult()));
            case PickupEvent e -> new CallFact.Pickup(pbx, at, id("Uniqueid", e.getUniqueid()),
                    id("TargetUniqueid", e.getTargetuniqueid()));
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
            try {
                active.add(new CallFact.ActiveChannel(id("Uniqueid", c.getUniqueid()), id("Linkedid", c.getLinkedid()),
                        channel(c.getChannel()), text(c.getCallerIdNum(), MAX_EXTENSION),
                        text(c.getExten(), MAX_EXTENSION), state(c.getChannelState()), id("BridgeId", c.getBridgeid()),
                        seconds(c.getDuration()), snapshot.answeredAt().get(c.getUniqueid())));
            } catch (IllegalArgumentException e) {
                // one channel the model could not follow, as an event of it would be skipped: the others are
                LOG.warning("PBX " + pbx + ": a channel of the channel list could not be read, skipped: "
                        + e.getMessage());
            }
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

    /**
     * The event's own time when it is one (seconds since the epoch, as {@code timestampevents} writes it), else when
     * it was received: a garbled Timestamp (NaN, negative, centuries away) must not make a call's talk time.
     */
    static Instant time(Double timestamp, Instant received) {
        if (timestamp == null || !Double.isFinite(timestamp) || timestamp <= 0 || timestamp > LATEST_TIMESTAMP) {
            return received;
        }
        return Instant.ofEpochMilli(Math.round(timestamp * 1000));
    }

    /**
     * An identifier of Asterisk's (Uniqueid, Linkedid, a bridge's id) as the model keys calls and the journal stores
     * them: one Asterisk could not have made (longer than its own bound, a control character or a space in it) makes
     * the event unreadable — the sink skips it with a warning — rather than a key the database refuses, which would
     * hold every later event of the PBX behind it.
     */
    static String id(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_ID) {
            throw new IllegalArgumentException(field + " of " + value.length() + " characters: Asterisk makes at most "
                    + MAX_ID);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new IllegalArgumentException(field + " with a control character or a space at " + i);
            }
        }
        return value;
    }

    /** A channel's name: as strict as an id (the model tells phones and trunks by it) but for spaces. */
    static String channel(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_CHANNEL) {
            throw new IllegalArgumentException("a channel name of " + value.length() + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a channel name with a control character");
        }
        return value;
    }

    /**
     * A text the model reads (a number, an extension, a context, a caller's name, a dial string): control characters
     * removed, and one longer than Asterisk allows such a field taken as absent (an unknown caller), never stored.
     */
    static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.chars().anyMatch(Character::isISOControl)
                ? value.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                : value;
        return clean.length() > max ? null : clean;
    }

    /**
     * A variable's value the model reads, within its own bound: a recording's path (PATH_MAX), the box's CALL_ID or a
     * callback form's key (the journal keeps 200 characters of them), else a number or an extension.
     */
    private static String value(String variable, String value) {
        return text(value, switch (variable) {
            case "MIXMONITOR_FILENAME", "B24_RECORDING" -> MAX_PATH;
            case "B24_CALL_ID", "B24_CALLBACK" -> MAX_KEY;
            default -> MAX_EXTENSION;
        });
    }
}
