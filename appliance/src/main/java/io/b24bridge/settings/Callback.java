package io.b24bridge.settings;

import java.util.Objects;

/**
 * Callback from a website form (OnExternalCallBackStart): who is rung first, how often it is tried, what the
 * phones show, and when the company calls back at all.
 *
 * @param enabled                    whether callback requests are acted upon
 * @param target                     the queue, ring group or extension that takes callbacks (and the fallback of
 *                                   {@code firstCall: RESPONSIBLE})
 * @param retries                    further attempts when no operator answers
 * @param retryIntervalSeconds       pause between attempts
 * @param callerId                   caller ID the client sees; empty = the line's number (the outbound route's)
 * @param operatorRingTimeoutSeconds how long the operator side rings before an attempt counts as failed
 * @param firstCall                  who is rung first: {@code TARGET}, or {@code RESPONSIBLE} — the responsible of
 *                                   the form's CRM entity on their inner number, the target when there is none
 * @param fallbackUserId             the Bitrix24 user the CRM call and the out-of-hours task go to when the form's
 *                                   entity has no responsible
 * @param workingHours               when callbacks are rung for; outside them a task for the first working hour;
 *                                   empty = always
 */
public record Callback(Boolean enabled, Target target, Integer retries, Integer retryIntervalSeconds,
                       String callerId, Integer operatorRingTimeoutSeconds, FirstCall firstCall,
                       Integer fallbackUserId, WorkingHours workingHours) implements SectionValue {

    public static final Callback DEFAULT = new Callback(false, null, null, null, null, null, null, null, null);

    /** Who a callback rings first. */
    public enum FirstCall { TARGET, RESPONSIBLE }

    public Callback {
        enabled = Objects.requireNonNullElse(enabled, Boolean.FALSE);
        retries = Objects.requireNonNullElse(retries, 2);
        retryIntervalSeconds = Objects.requireNonNullElse(retryIntervalSeconds, 120);
        callerId = callerId == null || callerId.isBlank() ? null : callerId;
        operatorRingTimeoutSeconds = Objects.requireNonNullElse(operatorRingTimeoutSeconds, 30);
        firstCall = Objects.requireNonNullElse(firstCall, FirstCall.TARGET);
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
                p.add("target.type", "must name who takes callbacks (QUEUE, EXTENSION or RING_GROUP)");
            }
            if (target.type() == Target.Type.EXTENSIONS) {
                p.add("target.type", "EXTENSIONS cannot take a callback: the client is called when one phone "
                        + "answers; make them a ring group or a queue");
            }
        }
        p.range("retries", retries, 0, 10);
        p.range("retryIntervalSeconds", retryIntervalSeconds, 10, 86_400);
        if (callerId != null && !ClickToCall.CALLER_ID.matcher(callerId).matches()) {
            p.add("callerId", "must be a number or \"Name\" <number>");
        }
        p.range("operatorRingTimeoutSeconds", operatorRingTimeoutSeconds, 5, 300);
        p.positiveId("fallbackUserId", fallbackUserId);
        if (workingHours != null) {
            workingHours.validate(p.at("workingHours"));
        }
    }
}
