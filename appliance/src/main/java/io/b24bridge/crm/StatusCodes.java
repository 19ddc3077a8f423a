package io.b24bridge.crm;

import java.util.EnumMap;
import java.util.Map;

import io.b24bridge.calls.CallEvent.Outcome;

/**
 * How a call's outcome is told to Bitrix24: telephony.externalcall.finish's STATUS_CODE, SIP-like codes the box
 * shows in the call statistics and uses for missed-call handling (contract §2; 304 is "missed", 603-S the
 * caller's own cancel).
 */
public final class StatusCodes {

    private static final Map<Outcome, String> CODES = new EnumMap<>(Map.of(
            Outcome.ANSWERED, "200",
            Outcome.NO_ANSWER, "304",
            Outcome.BUSY, "486",
            Outcome.DECLINED, "603",
            Outcome.CANCELLED, "603-S",
            Outcome.CONGESTION, "503",
            Outcome.UNAVAILABLE, "480",
            Outcome.NOT_FOUND, "404"));

    private StatusCodes() {
    }

    /** The STATUS_CODE for an outcome. */
    public static String of(Outcome outcome) {
        return CODES.get(outcome);
    }

    /** The outcome a STATUS_CODE stands for (a stored held talk carries the code). */
    public static Outcome outcome(String statusCode) {
        return CODES.entrySet().stream().filter(e -> e.getValue().equals(statusCode)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown STATUS_CODE " + statusCode));
    }
}
