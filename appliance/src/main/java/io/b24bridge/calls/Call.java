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
 * bring in), who rang, who answered, how it ended — and how each step (a dial, a ring, an answer) changes it
 * and what that tells the CRM. Owned by the {@link CallTracker}, which finds the call a fact is about and
 * moves channels between calls; not thread-safe.
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
    /**
     * Part of this call happened while the model could not see it (the AMI link or the appliance was down): its
     * ending is what was seen, and the PBX's own record of it tells the rest.
     */
    boolean partlySeen;
    /** The recording file the CRM was told of, so a changed one is told again. */
    String recordingTold;

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
                lastRinging, recordingFile, (int) Math.max(0, Duration.between(startedAt, waitEnd).toSeconds()),
                partlySeen);
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
        return unionSeconds(spans);
    }

    /** Seconds covered by these [from, to] spans, overlaps counted once. */
    static int unionSeconds(List<Instant[]> spans) {
        spans = new ArrayList<>(spans);
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

    // --- how the call progresses: what the tracker's facts do to one call, told as CallEvents ---

    /** Decides the direction at the first dial: who called whom. */
    void decideDirection(Leg dest, CallFact.DialBegin f, List<CallEvent> out) {
        Leg origin = originator();
        if (origin != null && origin.isPhone()) {
            if (dest.isTrunk()) {
                direction = CallEvent.Direction.OUTBOUND;
                extension = origin.extension;
                trunk = dest.trunk;
                if (clientNumber == null) {
                    clientNumber = dialledNumber(f.dialString(), origin.exten);
                }
            } else if (dest.isPhone()) {
                direction = CallEvent.Direction.INTERNAL;
                extension = origin.extension;
                clientNumber = dest.extension;
            } else {
                return; // dialling plumbing (a Local channel to an outbound route): wait for the real leg
            }
        } else {
            if (!dest.isPhone() && !dest.isTrunk()) {
                return; // an originate's first leg or plumbing: the real destination comes next
            }
            if (did == null && f.callerExten() != null && f.callerExten().matches("\\+?[0-9]{3,}")) {
                did = f.callerExten();
            }
            // the trunk's own caller ID first: a PBX dialplan may decorate the caller ID before it dials
            if (clientNumber == null && (origin == null || origin.callerNumber == null)) {
                clientNumber = blankToNull(f.callerNumber());
            }
            announceInbound();
        }
        announce(f.at(), out);
    }

    /** The call came from outside: the client is the originator's caller, the DID what it dialled. */
    void announceInbound() {
        Leg origin = originator();
        direction = CallEvent.Direction.INBOUND;
        if (origin != null) {
            if (clientNumber == null) {
                clientNumber = origin.callerNumber;
            }
            if (did == null && origin.exten != null && origin.exten.matches("\\+?[0-9]{3,}")) {
                did = origin.exten;
            }
            trunk = origin.trunk;
        }
    }

    void announce(Instant at, List<CallEvent> out) {
        announced = true;
        out.add(new CallEvent.Started(key, startedAt, direction, clientNumber, did, extension, trunk));
        if (responsible != null && direction == CallEvent.Direction.INBOUND) {
            out.add(new CallEvent.Routed(key, at, responsible));
        }
        tellRecording(at, out);
    }

    /** Names the recording to the CRM side once the call is announced, and again if a better one replaces it. */
    void tellRecording(Instant at, List<CallEvent> out) {
        if (announced && recordingFile != null && !recordingFile.equals(recordingTold)) {
            recordingTold = recordingFile;
            out.add(new CallEvent.RecordingNamed(key, at, recordingFile));
        }
    }

    /**
     * Routing's answer named the caller's responsible (a Bitrix24 user id). The answer comes before the first
     * dial, so usually before the call is announced: it is told right after the announcement then.
     */
    void routedTo(String userId, Instant at, List<CallEvent> out) {
        try {
            int user = Integer.parseInt(userId.strip());
            if (user > 0) {
                responsible = user;
                if (announced) {
                    out.add(new CallEvent.Routed(key, at, user));
                }
            }
        } catch (NumberFormatException e) {
            // not ours to judge the dialplan: no responsible then
        }
    }

    /**
     * The dialplan took the caller to the rating IVR after the operator hung up: the talk is over now, though
     * the caller's channel lives on. Only an answered inbound call is rated.
     */
    void startRating(Instant at, List<CallEvent> out) {
        if (announced && direction == CallEvent.Direction.INBOUND && firstAnswerAt != null && !ratingStarted) {
            ratingStarted = true;
            out.add(new CallEvent.RatingStarted(key, at, outcome(at)));
        }
    }

    /** An outbound call found after a gap: the extension calls the client through this trunk. */
    void resumeOutbound(String callingExtension, String viaTrunk, String dialled) {
        direction = CallEvent.Direction.OUTBOUND;
        extension = callingExtension;
        trunk = viaTrunk;
        clientNumber = dialled;
    }

    /** The client picked up an outbound call (their trunk leg answered): the calling extension talks. */
    void clientAnswered(Leg clientLeg, Instant at) {
        if (clientLeg.answeredAt == null) {
            clientLeg.answeredAt = at;
        }
        if (firstAnswerAt == null) {
            firstAnswerAt = at;
            operator = extension;
        }
    }

    /** Whether this leg rings a person for the call: a phone of an inbound or internal call, a mobile leg. */
    boolean ringsOperator(Leg leg) {
        return (leg.isPhone() && direction != CallEvent.Direction.OUTBOUND)
                || (leg.mobileOf != null && direction == CallEvent.Direction.INBOUND);
    }

    void startRinging(Leg leg, Instant at, List<CallEvent> out) {
        String ext = leg.ringsFor();
        if (leg.ringing || leg.answeredAt != null || ext.equals(operator)) {
            return;
        }
        leg.ringing = true;
        List<String> same = ringing.computeIfAbsent(ext, e -> new ArrayList<>());
        same.add(leg.uniqueid);
        if (same.size() == 1) {
            lastRinging = ext;
            out.add(new CallEvent.RingStarted(key, at, ext));
        }
    }

    void stopRinging(Leg leg, Instant at, String reason, List<CallEvent> out) {
        if (!leg.ringing) {
            return;
        }
        leg.ringing = false;
        String ext = leg.ringsFor();
        List<String> same = ringing.get(ext);
        if (same == null) {
            return;
        }
        same.remove(leg.uniqueid);
        if (same.isEmpty()) {
            ringing.remove(ext);
            if (!ext.equals(operator)) {
                out.add(new CallEvent.RingStopped(key, at, ext, reason));
            }
        }
    }

    /** A phone leg answered or took the call over: it is the operator now; everyone else stops ringing. */
    void answered(Leg leg, Instant at, String how, List<CallEvent> out) {
        if (leg.answeredAt == null) {
            leg.answeredAt = at;
        }
        leg.dialled = true;
        String ext = leg.ringsFor();
        if (leg.ringing) {
            leg.ringing = false;
            List<String> same = ringing.get(ext);
            if (same != null) {
                same.remove(leg.uniqueid);
                if (same.isEmpty()) {
                    ringing.remove(ext);
                }
            }
        }
        if (firstAnswerAt == null) {
            firstAnswerAt = at;
        }
        if (!ext.equals(operator)) {
            operator = ext;
            out.add(new CallEvent.Answered(key, at, ext, leg.mobileOf != null ? "mobile" : how));
        }
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
