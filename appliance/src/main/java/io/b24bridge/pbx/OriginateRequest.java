package io.b24bridge.pbx;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
        // values may come from a click in the CRM: nothing that splits a dial string or an AMI header
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel to ring: it must be TECH/resource without & , ( ) "
                    + "quotes or blanks");
        }
        if (!NAME.matcher(context).matches() || !NAME.matcher(exten).matches()) {
            throw new IllegalArgumentException("the context and the extension must be letters, digits, * # + _ . -");
        }
        if (callerId.filter(OriginateRequest::hasControl).isPresent()
                || variables.entrySet().stream().anyMatch(e -> hasControl(e.getKey()) || hasControl(e.getValue()))) {
            throw new IllegalArgumentException("the caller ID and variables must not hold control characters");
        }
    }

    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9]+/[^,()&\"'\\s]{1,200}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9*#+_.-]{1,80}");

    private static boolean hasControl(String s) {
        return s.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.FORMAT);
    }

    /** The common case: ring {@code channel}, then dial {@code exten} in {@code context} at priority 1. */
    public static OriginateRequest of(String channel, String context, String exten, Duration ringTimeout) {
        return new OriginateRequest(channel, context, exten, 1, Optional.empty(), ringTimeout, Optional.empty(),
                Map.of());
    }
}
