package io.b24bridge.pbx;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An AMI Originate into the dialplan: ring {@code channel} first; when it answers, it runs {@code exten} at
 * {@code priority} in {@code context} (click-to-call: the operator's phone first, then the client's number).
 *
 * @param channel   what to ring first, e.g. {@code PJSIP/101}
 * @param context   dialplan context the answered channel continues in
 * @param exten     extension there (the number to call)
 * @param priority  priority there, usually 1
 * @param callerId  caller ID shown on the first leg, e.g. {@code "Client" <79161112233>}; empty = the PBX's
 * @param ringTimeout how long the first leg may ring
 * @param channelId the Uniqueid the new channel gets (Asterisk 13+), so its events can be matched to this
 *                  request from the first one; empty = Asterisk chooses
 * @param variables channel variables to set on the new channel
 */
public record OriginateRequest(String channel, String context, String exten, int priority, Optional<String> callerId,
                               Duration ringTimeout, Optional<String> channelId, Map<String, String> variables) {

    public OriginateRequest {
        if (channel == null || channel.isBlank() || context == null || context.isBlank()
                || exten == null || exten.isBlank()) {
            throw new IllegalArgumentException("an originate needs a channel, a context and an extension");
        }
        if (ringTimeout == null || ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("the ring timeout must be positive");
        }
        callerId = callerId == null ? Optional.empty() : callerId;
        channelId = channelId == null ? Optional.empty() : channelId;
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    /** The common case: ring {@code channel}, then dial {@code exten} in {@code context} at priority 1. */
    public static OriginateRequest of(String channel, String context, String exten, Duration ringTimeout) {
        return new OriginateRequest(channel, context, exten, 1, Optional.empty(), ringTimeout, Optional.empty(),
                Map.of());
    }
}
