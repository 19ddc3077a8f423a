package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The call model: follows every channel of every call (keyed by PBX and Linkedid) from {@link CallFact}s and
 * says, as {@link CallEvent}s, what happened in CRM terms — a call started (direction, client, DID), an
 * extension rang or stopped ringing, someone answered or took the call over, the call ended (status, talk
 * time, operator, recording). Pure and single-threaded: the PBX intake thread feeds it in arrival order.
 */
public final class CallTracker {

    /** An inbound call that has not rung anyone yet is announced after this long (IVR, queue wait). */
    static final Duration ANNOUNCE_AFTER = Duration.ofMillis(300);

    private final Function<String, Endpoints> endpoints;
    private final Map<CallKey, Call> calls = new HashMap<>();
    /** pbx + ':' + uniqueid → the call the channel belongs to now (transfers and pickups move channels). */
    private final Map<String, Call> byChannel = new HashMap<>();
    /** Per PBX, the time of the last fact (event or tick) the model had of it: after a gap, what it last saw. */
    private final Map<String, Instant> lastFactAt = new HashMap<>();

    /** @param endpoints per PBX id, how to tell phones from trunks */
    public CallTracker(Function<String, Endpoints> endpoints) {
        this.endpoints = endpoints;
    }

    /** The calls in progress now. */
    public int callsInProgress() {
        return calls.size();
    }

    /** Whether the model follows this call now. */
    public boolean follows(CallKey key) {
        return calls.containsKey(key);
    }

    /** Applies one fact; returns what it changed, in order. */
    public List<CallEvent> apply(CallFact fact) {
        List<CallEvent> out = new ArrayList<>();
        if (!(fact instanceof CallFact.ChannelsNow) && !(fact instanceof CallFact.PbxRecord)) {
            lastFactAt.put(fact.pbx(), fact.at()); // the link was following this PBX then
        }
        switch (fact) {
            case CallFact.NewChannel f -> newChannel(f, out);
            case CallFact.Variable f -> variable(f, out);
            case CallFact.DialBegin f -> dialBegin(f, out);
            case CallFact.DialEnd f -> dialEnd(f, out);
            case CallFact.StateChange f -> stateChange(f, out);
            case CallFact.Hangup f -> hangup(f.pbx(), f.uniqueid(), f.at(), f.cause(), out);
            case CallFact.BlindTransfer f -> { } // the transferee's dial to the new extension tells the rest
            case CallFact.AttendedTransfer f -> attendedTransfer(f, out);
            case CallFact.Pickup f -> pickup(f, out);
            case CallFact.Rating f -> rating(f, out);
            case CallFact.ChannelsNow f -> reconcile(f, out);
            case CallFact.Tick f -> tick(f, out);
            case CallFact.PbxRecord f -> { } // about a call the model let go of: see recorded()
            case CallFact.BridgeEnter f -> { }
            case CallFact.BridgeLeave f -> { }
        }
        return out;
    }

    private void newChannel(CallFact.NewChannel f, List<CallEvent> out) {
        if (byChannel.containsKey(id(f.pbx(), f.uniqueid()))) {
            return;
        }
        CallKey key = new CallKey(f.pbx(), f.linkedid());
        Call call = calls.computeIfAbsent(key, k -> new Call(k, f.at()));
        addLeg(call, f.pbx(), f.uniqueid(), f.channel(), f.callerNumber(), f.exten(), f.at());
    }

    private Leg addLeg(Call call, String pbx, String uniqueid, String channel, String callerNumber, String exten,
                       Instant at) {
        Endpoints ep = endpoints.apply(pbx);
        Leg leg = new Leg(uniqueid, channel, ep.kind(channel), ep.extension(channel), ep.trunk(channel),
                Call.blankToNull(callerNumber), exten, at);
        call.legs.put(uniqueid, leg);
        byChannel.put(id(pbx, uniqueid), call);
        return leg;
    }

    private void variable(CallFact.Variable f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call == null) {
            return;
        }
        if (f.name().equals("B24_MOBILE_OF")) {
            call.mobileOf = Call.blankToNull(f.value()); // the dialplan clears it after the mobile's Dial
            return;
        }
        if (f.value() == null || f.value().isBlank()) {
            return;
        }
        switch (f.name()) {
            case "MIXMONITOR_FILENAME", "B24_RECORDING" -> {
                // the client's channel records the whole call, transfers included; a consultation call that an
                // attended transfer brings in records only its own part: the first recording wins
                Leg leg = call.legs.get(f.uniqueid());
                if (call.recordingFile == null || (leg != null && leg == call.originator())) {
                    call.recordingFile = f.value();
                    call.tellRecording(f.at(), out);
                }
            }
            case "B24_DID" -> call.did = f.value();
            case "B24_NUMBER" -> call.clientNumber = f.value();
            case "B24_RESPONSIBLE" -> call.routedTo(f.value(), f.at(), out);
            case "B24_RATING" -> call.startRating(f.at(), out);
            default -> { }
        }
    }

    private void dialBegin(CallFact.DialBegin f, List<CallEvent> out) {
        Call call = f.callerUniqueid() != null ? callOf(f.pbx(), f.callerUniqueid(), f.linkedid()) : null;
        if (call == null) {
            call = callOf(f.pbx(), f.destUniqueid(), f.destLinkedid());
        }
        if (call == null) {
            return;
        }
        Leg dest = call.legs.get(f.destUniqueid());
        if (dest == null) {
            Call other = byChannel.get(id(f.pbx(), f.destUniqueid()));
            dest = other != null
                    ? moveLeg(other, call, f.pbx(), f.destUniqueid(), f.at(), out)
                    : addLeg(call, f.pbx(), f.destUniqueid(), f.destChannel(), null, null, f.at());
        }
        dest.dialled = true;
        if (dest.isTrunk() && call.mobileOf != null && dest.mobileOf == null
                && call.direction != CallEvent.Direction.OUTBOUND && call.direction != CallEvent.Direction.INTERNAL) {
            dest.mobileOf = call.mobileOf; // the routing dials a responsible's mobile: this leg rings for them
        }
        if (!call.announced) {
            call.decideDirection(dest, f, out);
        }
        if (!call.announced) {
            return;
        }
        if (call.ringsOperator(dest)) {
            call.startRinging(dest, f.at(), out);
        } else if (dest.isTrunk() && call.direction == CallEvent.Direction.OUTBOUND && call.trunk == null) {
            call.trunk = dest.trunk;
        }
    }

    private void dialEnd(CallFact.DialEnd f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.destUniqueid(), null);
        if (call == null || !call.announced) {
            return;
        }
        Leg dest = call.legs.get(f.destUniqueid());
        String status = f.status() == null ? "" : f.status();
        if (call.ringsOperator(dest)) {
            if (status.equals("ANSWER")) {
                call.answered(dest, f.at(), "answer", out);
            } else {
                if (status.equals("BUSY")) {
                    call.busySeen = true;
                }
                call.stopRinging(dest, f.at(), status, out);
            }
        } else if (dest.isTrunk() && call.direction == CallEvent.Direction.OUTBOUND) {
            if (status.equals("ANSWER")) {
                if (dest.answeredAt == null) {
                    dest.answeredAt = f.at();
                }
                if (call.firstAnswerAt == null) {
                    call.firstAnswerAt = f.at();
                    call.operator = call.extension;
                    out.add(new CallEvent.Answered(call.key, f.at(), call.extension, "client answered"));
                }
            } else {
                call.clientDialStatus = status;
            }
        }
    }

    private void stateChange(CallFact.StateChange f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call == null) {
            return;
        }
        Leg leg = call.legs.get(f.uniqueid());
        if (f.state() == CallFact.STATE_BUSY && leg.isPhone()) {
            call.busySeen = true;
        }
        if (f.state() != CallFact.STATE_UP) {
            return;
        }
        // an inbound leg answered by the dialplan (IVR, voicemail) is announced by the next tick or its hangup:
        // a dial following at once tells more (an originate answers its first leg before dialling)
        if (call.announced && leg.ringing && call.ringsOperator(leg)) {
            call.answered(leg, f.at(), "answer", out);
        }
    }

    private void hangup(String pbx, String uniqueid, Instant at, int cause, List<CallEvent> out) {
        Call call = byChannel.get(id(pbx, uniqueid));
        if (call == null) {
            return;
        }
        Leg leg = call.legs.get(uniqueid);
        if (leg.hungUpAt != null) {
            return;
        }
        leg.hungUpAt = at;
        leg.hangupCause = cause;
        if (leg.ringing) {
            call.stopRinging(leg, at, "HANGUP", out);
        }
        if (leg == call.originator()) {
            call.originatorCause = cause;
        }
        if (call.allGone()) {
            end(call, at, out);
        }
    }

    private void end(Call call, Instant at, List<CallEvent> out) {
        calls.remove(call.key);
        call.legs.keySet().forEach(uid -> byChannel.remove(id(call.key.pbx(), uid), call));
        if (!call.announced) {
            Leg origin = call.originator();
            if (origin == null || origin.isPhone()) {
                return; // a phone that dialled nobody (feature code, voicemail check): not a call for the CRM
            }
            call.announceInbound();
            call.announce(at, out);
        }
        out.add(call.outcome(at));
    }

    private void attendedTransfer(CallFact.AttendedTransfer f, List<CallEvent> out) {
        if (!f.success()) {
            return;
        }
        Call clientCall = byChannel.get(id(f.pbx(), f.transfereeUniqueid()));
        Call targetCall = byChannel.get(id(f.pbx(), f.transferTargetUniqueid()));
        if (clientCall == null || targetCall == null || clientCall == targetCall) {
            return;
        }
        Leg target = moveLeg(targetCall, clientCall, f.pbx(), f.transferTargetUniqueid(), f.at(), out);
        if (target != null && target.isPhone() && clientCall.announced) {
            target.answeredAt = f.at();
            clientCall.answered(target, f.at(), "attended transfer", out);
        }
    }

    private void pickup(CallFact.Pickup f, List<CallEvent> out) {
        Call ringingCall = byChannel.get(id(f.pbx(), f.targetUniqueid()));
        Call pickerCall = byChannel.get(id(f.pbx(), f.pickerUniqueid()));
        if (ringingCall == null || pickerCall == null) {
            return;
        }
        Leg target = ringingCall.legs.get(f.targetUniqueid());
        if (target.isPhone()) {
            ringingCall.stopRinging(target, f.at(), "PICKED_UP", out);
        }
        Leg picker = ringingCall == pickerCall ? pickerCall.legs.get(f.pickerUniqueid())
                : moveLeg(pickerCall, ringingCall, f.pbx(), f.pickerUniqueid(), f.at(), out);
        if (picker != null && picker.isPhone() && ringingCall.announced) {
            ringingCall.answered(picker, f.at(), "pickup", out);
        }
    }

    /** Moves a channel from one call to another; the call it left ends when nothing of it remains. */
    private Leg moveLeg(Call from, Call to, String pbx, String uniqueid, Instant at, List<CallEvent> out) {
        Leg leg = from.legs.remove(uniqueid);
        if (leg == null) {
            return null;
        }
        leg.ringing = false;
        to.legs.put(uniqueid, leg);
        byChannel.put(id(pbx, uniqueid), to);
        if (from.legs.isEmpty()) {
            calls.remove(from.key);
        } else if (from.allGone()) {
            end(from, at, out);
        }
        return leg;
    }

    private void rating(CallFact.Rating f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call != null && call.announced && f.vote() >= 1 && f.vote() <= 5) {
            out.add(new CallEvent.Rated(call.key, f.at(), f.vote()));
        }
    }

    /**
     * After a (re)connect, the PBX's channels now. A channel the model holds but the PBX no longer has hung up
     * while the link was down: at the last moment the link was seen alive, not now, so the gap is never counted
     * as talk. Channels the model never saw start are adopted into their calls — every leg first, then each
     * call's story, so a phone listed before its trunk is not taken for a call of its own. A leg found answered
     * takes its answer time from the PBX's own record when the PBX gave it, else now (what was seen: a lower
     * bound). Every call alive across the gap is partly seen: its ending waits for the PBX's record.
     */
    private void reconcile(CallFact.ChannelsNow f, List<CallEvent> out) {
        Map<String, CallFact.ActiveChannel> alive = new HashMap<>();
        for (CallFact.ActiveChannel c : f.channels()) {
            alive.put(c.uniqueid(), c);
        }
        Instant lastSeen = f.lastSeen() != null ? f.lastSeen() : lastFactAt.getOrDefault(f.pbx(), f.at());
        lastSeen = lastSeen.isBefore(f.at()) ? lastSeen : f.at();
        Set<Call> touched = new LinkedHashSet<>();
        for (Call call : List.copyOf(calls.values())) {
            if (!call.key.pbx().equals(f.pbx())) {
                continue;
            }
            call.partlySeen = true;
            touched.add(call);
            for (Leg leg : List.copyOf(call.legs.values())) {
                if (leg.isUp() && !alive.containsKey(leg.uniqueid)) {
                    Instant gone = lastSeen.isBefore(leg.createdAt) ? leg.createdAt : lastSeen;
                    hangup(f.pbx(), leg.uniqueid, gone, 16, out);
                }
            }
        }
        // the oldest channel of a call first: it makes the call, with the call's true start
        List<CallFact.ActiveChannel> unknown = f.channels().stream()
                .filter(c -> !byChannel.containsKey(id(f.pbx(), c.uniqueid())))
                .sorted(Comparator.comparingLong(CallFact.ActiveChannel::secondsUp).reversed())
                .toList();
        for (CallFact.ActiveChannel c : unknown) {
            Call call = calls.computeIfAbsent(new CallKey(f.pbx(), c.linkedid()),
                    k -> new Call(k, f.at().minusSeconds(c.secondsUp())));
            Leg leg = addLeg(call, f.pbx(), c.uniqueid(), c.channel(), c.callerNumber(), c.exten(), f.at());
            leg.dialled = !c.uniqueid().equals(c.linkedid());
            call.partlySeen = true;
            touched.add(call);
        }
        for (Call call : touched) {
            if (calls.get(call.key) == call) {
                resume(call, alive, f.at(), out);
            }
        }
    }

    /** A call found on the PBX after a gap: announced if it was not yet, and the answers it had meanwhile. */
    private void resume(Call call, Map<String, CallFact.ActiveChannel> alive, Instant at, List<CallEvent> out) {
        if (!call.announced && call.legs.size() > 1) {
            Leg origin = call.originator();
            boolean outbound = origin != null && origin.isPhone()
                    && call.legs.values().stream().anyMatch(Leg::isTrunk);
            if (outbound) {
                Leg trunk = call.legs.values().stream().filter(Leg::isTrunk).findFirst().orElseThrow();
                call.resumeOutbound(origin.extension, trunk.trunk, trunk.exten);
            } else {
                call.announceInbound();
            }
            call.announce(at, out);
        }
        if (!call.announced) {
            return;
        }
        for (Leg leg : List.copyOf(call.legs.values())) {
            CallFact.ActiveChannel now = alive.get(leg.uniqueid);
            boolean talking = now != null && now.state() == CallFact.STATE_UP && now.bridgeId() != null
                    && !now.bridgeId().isBlank();
            if (!talking || leg.answeredAt != null) {
                continue;
            }
            Instant answered = now.answeredAt() != null && !now.answeredAt().isAfter(at) ? now.answeredAt() : at;
            if (leg.isPhone() && call.direction != CallEvent.Direction.OUTBOUND) {
                call.answered(leg, answered, "found answered after reconnect", out);
            } else if (leg.isTrunk() && call.direction == CallEvent.Direction.OUTBOUND) {
                call.clientAnswered(leg, answered);
            }
        }
    }

    /**
     * The PBX's record of a call the model saw only in part, which the model has let go by now: how it really
     * ended, in the model's terms. Inbound and internal: the phones (and mobile legs) that answered talked; outbound:
     * the client's trunk leg. The operator is the phone that answered last.
     */
    public List<CallEvent> recorded(CallFact.PbxRecord f, CallKey key, CallEvent.Direction direction) {
        Endpoints ep = endpoints.apply(f.pbx());
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
            boolean talks = direction == CallEvent.Direction.OUTBOUND ? kind == Endpoints.Kind.TRUNK
                    : kind == Endpoints.Kind.PHONE;
            if (row.answer() != null && talks) {
                spans.add(new Instant[] {row.answer(), row.end() == null ? row.answer() : row.end()});
                String ext = direction == CallEvent.Direction.OUTBOUND ? ep.extension(row.channel()) : ep.extension(dst);
                if (ext != null && !row.answer().isBefore(operatorAnswer)) {
                    operator = ext;
                    operatorAnswer = row.answer();
                }
            }
            busy |= "BUSY".equalsIgnoreCase(row.disposition());
            failed |= "FAILED".equalsIgnoreCase(row.disposition()) || "CONGESTION".equalsIgnoreCase(row.disposition());
        }
        boolean answered = !spans.isEmpty();
        String status = answered ? "200" : busy ? "486" : failed && direction == CallEvent.Direction.OUTBOUND ? "503" : "304";
        Instant waitEnd = answered ? spans.stream().map(s -> s[0]).min(Comparator.naturalOrder()).orElseThrow() : end;
        int wait = start == null || waitEnd == null ? 0 : (int) Math.max(0, Duration.between(start, waitEnd).toSeconds());
        // the record's own times serve only for differences: a PBX may write them in local time
        CallEvent.Ended outcome = new CallEvent.Ended(key, f.at(), status, Call.unionSeconds(spans), operator, null,
                null, wait, false);
        return List.of(new CallEvent.Recorded(key, f.at(), outcome));
    }

    private void tick(CallFact.Tick f, List<CallEvent> out) {
        for (Call call : List.copyOf(calls.values())) {
            if (!call.announced && call.key.pbx().equals(f.pbx())
                    && Duration.between(call.startedAt, f.at()).compareTo(ANNOUNCE_AFTER) >= 0) {
                Leg origin = call.originator();
                if (origin != null && !origin.isPhone()) {
                    call.announceInbound();
                    call.announce(f.at(), out);
                }
            }
        }
    }

    private Call callOf(String pbx, String uniqueid, String linkedid) {
        Call call = uniqueid == null ? null : byChannel.get(id(pbx, uniqueid));
        if (call == null && linkedid != null) {
            call = calls.get(new CallKey(pbx, linkedid));
        }
        return call;
    }

    private static String id(String pbx, String uniqueid) {
        return pbx + ':' + uniqueid;
    }
}
