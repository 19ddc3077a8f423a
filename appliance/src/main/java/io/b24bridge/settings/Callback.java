package io.b24bridge.settings;

import java.util.Objects;

/**
 * Callback from a website form (OnExternalCallBackStart): who takes it, how often it is tried, what the
 * phones show.
 *
 * @param enabled                    whether callback requests are acted upon
 * @param target                     the queue or extensions that take callbacks
 * @param retries                    further attempts when nobody (operator or client) answers
 * @param retryIntervalSeconds       pause between attempts
 * @param callerId                   caller ID the client sees; empty = the line's number
 * @param operatorRingTimeoutSeconds how long the target rings before an attempt counts as failed
 */
public record Callback(Boolean enabled, Target target, Integer retries, Integer retryIntervalSeconds,
                       String callerId, Integer operatorRingTimeoutSeconds) implements SectionValue {

    public static final Callback DEFAULT = new Callback(false, null, null, null, null, null);

    public Callback {
        enabled = Objects.requireNonNullElse(enabled, Boolean.FALSE);
        retries = Objects.requireNonNullElse(retries, 2);
        retryIntervalSeconds = Objects.requireNonNullElse(retryIntervalSeconds, 120);
        callerId = callerId == null || callerId.isBlank() ? null : callerId;
        operatorRingTimeoutSeconds = Objects.requireNonNullElse(operatorRingTimeoutSeconds, 30);
    }

    @Override
    public void validate(Problems p) {
        if (target == null) {
            if (enabled) {
                p.add("target", "is required when callbacks are enabled");
            }
        } else {
            target.validate(p.at("target"));
            if (target.type() == Target.Type.NONE && enabled) {
                p.add("target.type", "must name who takes callbacks (QUEUE, EXTENSION, EXTENSIONS or RING_GROUP)");
            }
        }
        p.range("retries", retries, 0, 10);
        p.range("retryIntervalSeconds", retryIntervalSeconds, 10, 86_400);
        if (callerId != null && !ClickToCall.CALLER_ID.matcher(callerId).matches()) {
            p.add("callerId", "must be a number or \"Name\" <number>");
        }
        p.range("operatorRingTimeoutSeconds", operatorRingTimeoutSeconds, 5, 300);
    }
}
