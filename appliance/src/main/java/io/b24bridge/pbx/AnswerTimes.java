package io.b24bridge.pbx;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.response.ManagerResponse;

/**
 * When the channels found talking after a (re)connect answered, as the PBX's own call record says. The snapshot
 * ({@code CoreShowChannels}) gives only the time since a channel was created, which for a phone includes its
 * ringing; a call answered while the link was down would otherwise have its talk time counted from the moment
 * it was found. {@code CDR(answer,u)} read on the channel itself is its own answer time, for the dialled phone
 * as for the caller (seen on Asterisk 22). One Getvar per talking channel, at a (re)connect only; the AMI user
 * needs write=reporting (or call), which the snapshot already needs.
 */
final class AnswerTimes {

    private static final Logger LOG = Logger.getLogger(AnswerTimes.class.getName());
    /** A reconnect in the middle of a very busy hour asks for at most this many; the rest count from now. */
    static final int MAX_LOOKUPS = 2_000;

    private AnswerTimes() {
    }

    static Map<String, Instant> of(ManagerConnection connection, List<CoreShowChannelEvent> channels,
                                   Duration responseTimeout) {
        Map<String, Instant> answered = new HashMap<>();
        int asked = 0;
        for (CoreShowChannelEvent c : channels) {
            if (!talking(c) || c.getUniqueid() == null) {
                continue;
            }
            if (++asked > MAX_LOOKUPS) {
                LOG.info(() -> "more than " + MAX_LOOKUPS + " talking channels: the rest are counted from now");
                break;
            }
            try {
                ManagerResponse r = connection.sendAction(new GetVarAction(c.getChannel(), "CDR(answer,u)"),
                        responseTimeout.toMillis());
                Instant at = epoch(r.getAttribute("Value"));
                if (at != null) {
                    answered.put(c.getUniqueid(), at);
                }
            } catch (IOException | TimeoutException | IllegalStateException e) {
                // the link is going; the snapshot's own end will tell
                LOG.fine(() -> "no answer time for " + c.getChannel() + ": " + e.getMessage());
                break;
            }
        }
        return answered;
    }

    /** Up and in a bridge: somebody answered it and it is connected to someone. */
    static boolean talking(CoreShowChannelEvent c) {
        return Integer.valueOf(6).equals(c.getChannelState()) && c.getBridgeid() != null && !c.getBridgeid().isBlank();
    }

    /** {@code 1796221400.346396} → that instant; 0 (not answered), blank or garbage → null. */
    static Instant epoch(String value) {
        if (value == null || !value.strip().matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
            return null;
        }
        BigDecimal seconds = new BigDecimal(value.strip());
        if (seconds.signum() == 0) {
            return null;
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }
}
