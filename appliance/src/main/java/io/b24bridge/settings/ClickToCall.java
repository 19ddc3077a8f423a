package io.b24bridge.settings;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Click-to-call: a user clicks a number in the CRM; Asterisk rings the user's extension first and, once it
 * answers, the client.
 *
 * @param enabled                   whether OnExternalCallStart events are acted upon
 * @param originateContext          dialplan context the client leg is dialled in (usually the outbound one)
 * @param callerId                  caller ID the operator's phone shows for the first leg; empty = the client's number
 * @param operatorRingTimeoutSeconds how long the operator's phone rings before the attempt is given up
 * @param clientRingTimeoutSeconds  how long the client's phone rings
 */
public record ClickToCall(Boolean enabled, String originateContext, String callerId,
                          Integer operatorRingTimeoutSeconds, Integer clientRingTimeoutSeconds)
        implements SectionValue {

    public static final ClickToCall DEFAULT = new ClickToCall(true, null, null, null, null);

    static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** {@code "Name" <number>} or a bare number. */
    static final Pattern CALLER_ID = Pattern.compile("(\"[^\"]{0,80}\"\\s*<\\+?[0-9]{2,20}>|\\+?[0-9]{2,20})");

    public ClickToCall {
        enabled = Objects.requireNonNullElse(enabled, Boolean.TRUE);
        originateContext = originateContext == null || originateContext.isBlank() ? "from-internal" : originateContext;
        callerId = callerId == null || callerId.isBlank() ? null : callerId;
        operatorRingTimeoutSeconds = Objects.requireNonNullElse(operatorRingTimeoutSeconds, 30);
        clientRingTimeoutSeconds = Objects.requireNonNullElse(clientRingTimeoutSeconds, 45);
    }

    @Override
    public void validate(Problems p) {
        if (!CONTEXT.matcher(originateContext).matches()) {
            p.add("originateContext", "must be a dialplan context name: letters, digits, _ and -");
        }
        if (callerId != null && !CALLER_ID.matcher(callerId).matches()) {
            p.add("callerId", "must be a number or \"Name\" <number>");
        }
        p.range("operatorRingTimeoutSeconds", operatorRingTimeoutSeconds, 5, 300);
        p.range("clientRingTimeoutSeconds", clientRingTimeoutSeconds, 5, 300);
    }
}
