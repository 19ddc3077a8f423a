package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call as the model follows it: all the channels sharing a Linkedid (plus those transfers and pickups
 * bring in), who rang, who answered, how it ended. Owned by the {@link CallTracker}; not thread-safe.
 */
final class Call {

    final CallKey key;
    final Instant startedAt;
    final Map<String, Leg> legs = new LinkedHashMap<>();
    /** Per extension, the legs ringing for it (a FreePBX ring group rings 101 through Local and PJSIP legs). */
    final Map<String, List<String>> ringing = new HashMap<>();

    CallEvent.Direction direction;
    boolean announced;
    String did;
    String clientNumber;
    String extension;
    String trunk;
    String recordingFile;
    String operator;
    String lastRinging;
    Instant firstAnswerAt;
    boolean busySeen;
    /** The responsible's extension whose mobile the dialplan dials now (B24_MOBILE_OF), else null. */
    String mobileOf;
    /** The caller's responsible as routing found them (B24_RESPONSIBLE), else null. */
    Integer responsible;
    /** The rating IVR began (B24_RATING): the talk's outcome was told then. */
    boolean ratingStarted;
    String clientDialStatus;
    int originatorCause;

    Call(CallKey key, Instant startedAt) {
        this.key = key;
        this.startedAt = startedAt;
    }

    Leg originator() {
        return legs.values().stream().filter(l -> l.uniqueid.equals(key.linkedid())).findFirst()
                .orElseGet(() -> legs.isEmpty() ? null : legs.values().iterator().next());
    }

    boolean allGone() {
        return !legs.isEmpty() && legs.values().stream().noneMatch(Leg::isUp);
    }

    /** How the call ended, in Bitrix24's terms. */
    CallEvent.Ended outcome(Instant endedAt) {
        boolean answered = firstAnswerAt != null;
        String status;
        if (direction == CallEvent.Direction.OUTBOUND) {
            status = answered ? "200" : outboundFailure();
        } else {
            status = answered ? "200" : busySeen ? "486" : originatorCause == 21 ? "603" : "304";
        }
        Instant waitEnd = answered ? firstAnswerAt : endedAt;
        return new CallEvent.Ended(key, endedAt, status, talkSeconds(endedAt), answered ? operator : null,
                lastRinging, recordingFile, (int) Math.max(0, Duration.between(startedAt, waitEnd).toSeconds()));
    }

    private String outboundFailure() {
        if (clientDialStatus != null) {
            switch (clientDialStatus) {
                case "BUSY": return "486";
                case "NOANSWER": return "304";
                case "CONGESTION": return "503";
                case "CHANUNAVAIL": return "480";
                case "CANCEL": return "603-S";
                default: break;
            }
        }
        return switch (originatorCause) {
            case 17 -> "486";
            case 21 -> "603";
            case 1, 3 -> "404";
            case 34, 38 -> "503";
            case 18, 19 -> "480";
            default -> "304";
        };
    }

    /**
     * Seconds an operator talked: the union of the answered legs' up-times — phones (and a responsible's mobile
     * leg) for inbound and internal calls, the client's trunk leg for outbound ones. Ring time, queue time and the caller's time in an IVR
     * after the operator hung up (the rating) do not count.
     */
    int talkSeconds(Instant endedAt) {
        List<Instant[]> spans = new ArrayList<>();
        for (Leg l : legs.values()) {
            boolean talking = direction == CallEvent.Direction.OUTBOUND ? l.isTrunk()
                    : (l.isPhone() && l.dialled) || l.mobileOf != null;
            if (talking && l.answeredAt != null) {
                Instant end = l.hungUpAt != null ? l.hungUpAt : endedAt;
                if (end.isAfter(l.answeredAt)) {
                    spans.add(new Instant[] {l.answeredAt, end});
                }
            }
        }
        spans.sort(Comparator.comparing(s -> s[0]));
        long millis = 0;
        Instant coveredTo = Instant.MIN;
        for (Instant[] s : spans) {
            Instant from = s[0].isAfter(coveredTo) ? s[0] : coveredTo;
            if (s[1].isAfter(from)) {
                millis += Duration.between(from, s[1]).toMillis();
                coveredTo = s[1];
            }
        }
        return (int) Math.round(millis / 1000.0);
    }
}
