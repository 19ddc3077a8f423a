package io.b24bridge.testkit.asterisk;

import java.time.Duration;
import java.util.Locale;

/**
 * What a called party on the world side does: a phone the PBX rings, or an outside number the PBX calls
 * through the carrier. The world's dialplan reads it from the world's astdb per call, so changing it needs
 * no reload.
 *
 * @param mode     answer, ring forever, 486 Busy Here, or reject
 * @param ringFor  for ANSWER: how long it rings before answering
 * @param talkFor  for ANSWER: how long it talks before hanging up; zero: until the other side hangs up
 */
public record PhoneBehaviour(Mode mode, Duration ringFor, Duration talkFor) {

    public enum Mode { ANSWER, NO_ANSWER, BUSY, REJECT }

    public PhoneBehaviour {
        if (ringFor.isNegative() || talkFor.isNegative()) {
            throw new IllegalArgumentException("negative duration");
        }
    }

    /** Rings {@code after}, answers, talks {@code talk}, then hangs up. */
    public static PhoneBehaviour answers(Duration after, Duration talk) {
        return new PhoneBehaviour(Mode.ANSWER, after, talk);
    }

    /** Rings {@code after}, answers, and stays until the other side hangs up (the default). */
    public static PhoneBehaviour answersAndStays(Duration after) {
        return new PhoneBehaviour(Mode.ANSWER, after, Duration.ZERO);
    }

    public static PhoneBehaviour neverAnswers() {
        return new PhoneBehaviour(Mode.NO_ANSWER, Duration.ZERO, Duration.ZERO);
    }

    public static PhoneBehaviour busy() {
        return new PhoneBehaviour(Mode.BUSY, Duration.ZERO, Duration.ZERO);
    }

    public static PhoneBehaviour rejects() {
        return new PhoneBehaviour(Mode.REJECT, Duration.ZERO, Duration.ZERO);
    }

    /** The astdb value the world's [behave] context reads: answer/RING/TALK, noanswer, busy, reject. */
    String dbValue() {
        return switch (mode) {
            case ANSWER -> "answer/" + seconds(ringFor) + "/" + seconds(talkFor);
            case NO_ANSWER -> "noanswer";
            case BUSY -> "busy";
            case REJECT -> "reject";
        };
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }
}
