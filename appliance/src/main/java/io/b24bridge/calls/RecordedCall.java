package io.b24bridge.calls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.b24bridge.calls.CallEvent.Direction;

/**
 * A call the model never saw (it started and ended while the appliance or its AMI link was down), told from the
 * PBX's own record of it: who called whom, when it began, how it ended. Its first row is party A's, the channel
 * that began the call: a trunk makes it inbound (the client is the row's caller, the DID the one the record names,
 * else the extension the call entered at); a phone that dialled a trunk, outbound (the client is the number it
 * dialled); a phone that dialled phones only, internal. A Local channel of the PBX's dialplan that dialled phones
 * for a caller (an originate into an inbound context) is taken as that caller's inbound call, as the live model takes
 * it; the product's own plumbing, or a channel that carries no caller's number, makes nobody's call.
 */
final class RecordedCall {

    private RecordedCall() {
    }

    /** The call's start and end as the model would have told them; empty when the record says too little. */
    static List<CallEvent> events(CallFact.PbxRecord record, CallKey key, Endpoints ep) {
        List<CallFact.RecordedLeg> rows = new ArrayList<>(record.legs());
        if (rows.isEmpty()) {
            return List.of();
        }
        rows.sort(Comparator.comparing(CallFact.RecordedLeg::start));
        CallFact.RecordedLeg toTrunk = rows.stream()
                .filter(r -> r.dstChannel() != null && !r.dstChannel().isBlank())
                .filter(r -> ep.kind(r.dstChannel()) == Endpoints.Kind.TRUNK).findFirst().orElse(null);
        CallFact.RecordedLeg first = rows.getFirst();
        if (toTrunk == null) {
            // no phone dialled out, and a trunk is a calling party: the trunk's (inbound) call. A phone's row before
            // its first is a leg of it — rung, then picked up with **102 — that ended first and was written first:
            // Master.csv tells seconds only, so it begins in the same second, or one before
            first = rows.stream().filter(r -> ep.kind(r.channel()) == Endpoints.Kind.TRUNK).findFirst().orElse(first);
        }
        Endpoints.Kind a = ep.kind(first.channel());
        if (a == Endpoints.Kind.OTHER && toTrunk == null) {
            // an originate through Local channels that runs an inbound context and dials phones (the live model
            // takes it as the caller's inbound call, Parties.decide): its dialling channel is party A
            CallFact.RecordedLeg dialler = rows.stream().filter(r -> carriesACaller(r, ep)).findFirst().orElse(null);
            if (dialler != null) {
                first = dialler;
                a = Endpoints.Kind.TRUNK;
            }
        }
        String did = rows.stream().map(CallFact.RecordedLeg::did).filter(Objects::nonNull).findFirst().orElse(null);
        CallEvent.Started started;
        if (a == Endpoints.Kind.TRUNK) {
            started = new CallEvent.Started(key, first.start(), Direction.INBOUND, first.src(),
                    did != null ? did : first.dst(), null, ep.trunk(first.channel()));
        } else if (a == Endpoints.Kind.PHONE && toTrunk != null) {
            started = new CallEvent.Started(key, first.start(), Direction.OUTBOUND, toTrunk.dst(), null,
                    ep.extension(first.channel()), ep.trunk(toTrunk.dstChannel()));
        } else if (a == Endpoints.Kind.PHONE) {
            started = new CallEvent.Started(key, first.start(), Direction.INTERNAL, null, null,
                    ep.extension(first.channel()), null);
        } else {
            return List.of(); // begun by plumbing that carries no caller (the product's own, an empty originate)
        }
        if (started.direction() != Direction.INTERNAL
                && (started.clientNumber() == null || started.clientNumber().isBlank())) {
            return List.of();
        }
        CallEvent.Ended how = CallEnding.fromRecord(record, key, started.direction(), ep);
        String recording = rows.stream().map(CallFact.RecordedLeg::recordingFile).filter(Objects::nonNull)
                .findFirst().orElse(null);
        String lastRinging = rows.stream().filter(r -> r.dstChannel() != null && !r.dstChannel().isBlank())
                .map(r -> ep.extension(r.dstChannel())).filter(Objects::nonNull).reduce((x, y) -> y).orElse(null);
        CallFact.RecordedLeg last = rows.stream().filter(r -> r.end() != null)
                .max(Comparator.comparing(CallFact.RecordedLeg::end)).orElse(first);
        CallEvent.Ended ended = new CallEvent.Ended(key, last.end() != null ? last.end() : first.start(), how.outcome(),
                how.talkSeconds(), how.operator(), lastRinging, recording, how.waitSeconds(), false);
        return List.of(started, ended);
    }

    /**
     * A row of plumbing that is not the product's own (a Local channel of the PBX's dialplan, e.g. an originate's)
     * dialling a phone, with a caller's number: it carries that caller's call in, as a trunk would.
     */
    private static boolean carriesACaller(CallFact.RecordedLeg r, Endpoints ep) {
        return ep.kind(r.channel()) == Endpoints.Kind.OTHER && !r.channel().contains("@b24bridge-")
                && r.dstChannel() != null && ep.kind(r.dstChannel()) == Endpoints.Kind.PHONE
                && r.src() != null && r.src().matches("\\+?[0-9]{3,}");
    }
}
