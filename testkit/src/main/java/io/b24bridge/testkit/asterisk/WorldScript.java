package io.b24bridge.testkit.asterisk;

import java.time.Duration;

/**
 * What the calling party of a call placed from the world does: a carrier's client calling a DID, or a phone
 * calling through the PBX. Before the answer it gives up after {@code giveUpAfter}; once answered it waits
 * {@code dtmfDelay} and sends {@code dtmf} as RFC 4733 events (if any; e.g. a rating after the PBX's
 * prompt), then talks {@code talk} and hangs up (zero: stays until the other side hangs up).
 */
public record WorldScript(Duration giveUpAfter, Duration dtmfDelay, String dtmf, Duration talk) {

    public WorldScript {
        if (!dtmf.matches("[0-9*#A-Dw]*")) {
            throw new IllegalArgumentException("not DTMF digits: " + dtmf);
        }
        if (giveUpAfter.isNegative() || giveUpAfter.isZero() || dtmfDelay.isNegative() || talk.isNegative()) {
            throw new IllegalArgumentException("bad durations in " + this);
        }
    }

    private static final Duration PATIENT = Duration.ofSeconds(60);

    /** Answered, talks {@code talk}, hangs up. */
    public static WorldScript talks(Duration talk) {
        return new WorldScript(PATIENT, Duration.ZERO, "", talk);
    }

    /** Answered, stays until the other side hangs up (or the harness hangs up the call). */
    public static WorldScript staysUntilHungUp() {
        return new WorldScript(PATIENT, Duration.ZERO, "", Duration.ZERO);
    }

    /** Hangs up while it still rings, after {@code after}: a missed call. */
    public static WorldScript hangsUpWhileRinging(Duration after) {
        return new WorldScript(after, Duration.ZERO, "", Duration.ZERO);
    }

    /** The same, but gives up ringing after {@code after}. */
    public WorldScript givingUpAfter(Duration after) {
        return new WorldScript(after, dtmfDelay, dtmf, talk);
    }

    /** The same, but {@code delay} after the answer sends {@code digits}; {@code talk} counts after them. */
    public WorldScript sendingDtmf(Duration delay, String digits) {
        return new WorldScript(giveUpAfter, delay, digits, talk);
    }
}
