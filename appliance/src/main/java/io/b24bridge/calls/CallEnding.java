package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.b24bridge.calls.CallEvent.Direction;
import io.b24bridge.calls.CallEvent.Outcome;

/**
 * How a call ended, read from its legs (why nobody answered, how long an operator talked), or from the PBX's own
 * record of it when the model saw it only in part.
 */
final class CallEnding {

    private CallEnding() {
    }

    /**
     * Why an unanswered call ended. Inbound: busy when a phone said so, declined when the caller's leg was
     * rejected (cause 21), else missed. Outbound: the client's dial status first, else the caller's hangup cause.
     */
    static Outcome unanswered(Direction direction, String clientDialStatus, boolean busySeen, int originatorCause) {
        if (direction != Direction.OUTBOUND) {
            return busySeen ? Outcome.BUSY : originatorCause == 21 ? Outcome.DECLINED : Outcome.NO_ANSWER;
        }
        if (clientDialStatus != null) {
            switch (clientDialStatus) {
                case "BUSY": return Outcome.BUSY;
                case "NOANSWER": return Outcome.NO_ANSWER;
                case "CONGESTION": return Outcome.CONGESTION;
                case "CHANUNAVAIL": return Outcome.UNAVAILABLE;
                case "CANCEL": return Outcome.CANCELLED;
                default: break;
            }
        }
        return switch (originatorCause) {
            case 17 -> Outcome.BUSY;
            case 21 -> Outcome.DECLINED;
            case 1, 3 -> Outcome.NOT_FOUND;
            case 34, 38 -> Outcome.CONGESTION;
            case 18, 19 -> Outcome.UNAVAILABLE;
            default -> Outcome.NO_ANSWER;
        };
    }

    /**
     * Seconds an operator talked: the union of the answered legs' up-times — phones (and a responsible's mobile
     * leg) for inbound and internal calls, the client's trunk leg for outbound ones. Ring time, queue time and the
     * caller's time in an IVR after the operator hung up (the rating) do not count.
     */
    static int talkSeconds(Collection<Leg> legs, Direction direction, Instant endedAt) {
        List<Instant[]> spans = new ArrayList<>();
        for (Leg l : legs) {
            boolean talking = direction == Direction.OUTBOUND ? l.isTrunk()
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

    /**
     * How a call the model saw only in part really ended, from the PBX's own record of it (its CDR rows). Inbound
     * and internal: the phones (and mobile legs) that answered talked; outbound: the client's trunk leg. The
     * operator is the phone that answered last. The record's own times serve only for differences: a PBX may
     * write them in local time.
     */
    static CallEvent.Ended fromRecord(CallFact.PbxRecord f, CallKey key, Direction direction, Endpoints ep) {
        List<Instant[]> spans = new ArrayList<>();
        String operator = null;
        Instant operatorAnswer = Instant.MIN;
        boolean busy = false;
        boolean failed = false;
        Instant start = null;
        Instant end = null;
        for (CallFact.RecordedLeg row : f.legs()) {
            start = start == null || row.start().isBefore(start) ? row.start() : start;
            end = row.end() != null && (end == null || row.end().isAfter(end)) ? row.end() : end;
            String dst = row.dstChannel() == null ? "" : row.dstChannel();
            Endpoints.Kind kind = dst.isBlank() ? null : ep.kind(dst);
            boolean talks = direction == Direction.OUTBOUND ? kind == Endpoints.Kind.TRUNK
                    : kind == Endpoints.Kind.PHONE;
            if (row.answer() != null && talks) {
                spans.add(new Instant[] {row.answer(), row.end() == null ? row.answer() : row.end()});
                String ext = direction == Direction.OUTBOUND ? ep.extension(row.channel()) : ep.extension(dst);
                if (ext != null && !row.answer().isBefore(operatorAnswer)) {
                    operator = ext;
                    operatorAnswer = row.answer();
                }
            }
            busy |= "BUSY".equalsIgnoreCase(row.disposition());
            failed |= "FAILED".equalsIgnoreCase(row.disposition()) || "CONGESTION".equalsIgnoreCase(row.disposition());
        }
        boolean answered = !spans.isEmpty();
        Outcome outcome = answered ? Outcome.ANSWERED : busy ? Outcome.BUSY
                : failed && direction == Direction.OUTBOUND ? Outcome.CONGESTION : Outcome.NO_ANSWER;
        Instant waitEnd = answered ? spans.stream().map(s -> s[0]).min(Comparator.naturalOrder()).orElseThrow() : end;
        int wait = start == null || waitEnd == null ? 0
                : (int) Math.max(0, Duration.between(start, waitEnd).toSeconds());
        return new CallEvent.Ended(key, f.at(), outcome, unionSeconds(spans), operator, null, null, wait, false);
    }
}
