package io.b24bridge.calls;

import java.time.Instant;

/** One channel of a call, as the model keeps it. Owned by its {@link Call}. */
final class Leg {

    final String uniqueid;
    final String channel;
    final Endpoints.Kind kind;
    /** The extension of a phone leg, else null. */
    final String extension;
    /** The trunk endpoint of a trunk leg, else null. */
    final String trunk;
    final String callerNumber;
    final String exten;
    final Instant createdAt;
    /** This leg was dialled by another (it did not start the call). */
    boolean dialled;
    /**
     * For a trunk leg of an inbound call that rings a responsible's mobile (the dialplan's B24_MOBILE_OF): that
     * responsible's extension. The leg then rings, answers and talks for them.
     */
    String mobileOf;
    /** A phone leg (or a responsible's mobile leg) currently ringing for the call. */
    boolean ringing;
    Instant answeredAt;
    Instant hungUpAt;
    int hangupCause;

    Leg(String uniqueid, String channel, Endpoints.Kind kind, String extension, String trunk, String callerNumber,
        String exten, Instant createdAt) {
        this.uniqueid = uniqueid;
        this.channel = channel;
        this.kind = kind;
        this.extension = extension;
        this.trunk = trunk;
        this.callerNumber = callerNumber;
        this.exten = exten;
        this.createdAt = createdAt;
    }

    boolean isPhone() {
        return kind == Endpoints.Kind.PHONE;
    }

    boolean isTrunk() {
        return kind == Endpoints.Kind.TRUNK;
    }

    /** The extension this leg rings and talks for: a phone's own, a mobile leg's responsible; else null. */
    String ringsFor() {
        return extension != null ? extension : mobileOf;
    }

    boolean isUp() {
        return hungUpAt == null;
    }

    @Override
    public String toString() {
        return channel + (answeredAt != null ? " answered" : "") + (hungUpAt != null ? " gone" : "");
    }

    /** The number dialled through a trunk: {@code 79161112233@trunk} → {@code 79161112233}. */
    static String dialledNumber(String dialString, String fallback) {
        if (dialString != null && !dialString.isBlank()) {
            String s = dialString;
            int at = s.indexOf('@');
            if (at > 0) {
                s = s.substring(0, at);
            }
            int slash = s.lastIndexOf('/');
            if (slash >= 0) {
                s = s.substring(slash + 1);
            }
            if (s.startsWith("sip:")) {
                s = s.substring(4);
            }
            if (s.matches("\\+?[0-9*#]+")) {
                return s;
            }
        }
        return fallback;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equals("<unknown>") ? null : s;
    }
}
