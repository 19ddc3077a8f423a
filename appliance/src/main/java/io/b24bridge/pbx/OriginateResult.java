package io.b24bridge.pbx;

/**
 * How an Originate ended, from the PBX's {@code OriginateResponse} (or its refusal of the action).
 *
 * @param success  the first leg answered and the dialplan took over
 * @param reason   Asterisk's reason code: 4 answered, 5 busy, 3 no answer, 8 congestion, 1 hung up, 0 failed;
 *                 -1 when the action itself was refused
 * @param channel  the first leg's channel name, when it was created
 * @param uniqueid its Uniqueid, when it was created
 * @param message  a sentence for people: what happened
 */
public record OriginateResult(boolean success, int reason, String channel, String uniqueid, String message) {

    /** The reason code of an answered first leg. */
    public static final int ANSWERED = 4;

    static OriginateResult refused(String message) {
        return new OriginateResult(false, -1, null, null, "the PBX refused the originate: " + message);
    }

    static String describe(int reason) {
        return switch (reason) {
            case 0 -> "failed (no such channel or extension)";
            case 1 -> "hung up";
            case 3 -> "no answer";
            case 4 -> "answered";
            case 5 -> "busy";
            case 8 -> "congestion";
            default -> "reason " + reason;
        };
    }
}
