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
        call.add(newLeg(call, f.pbx(), f.uniqueid(), f.channel(), f.callerNumber(), f.exten(), f.at()));
    }

    /** A leg of {@code call} for a channel, as the PBX's endpoints tell what it is. */
    private Leg newLeg(Call call, String pbx, String uniqueid, String channel, String callerNumber, String exten,
                       Instant at) {
        Endpoints ep = endpoints.apply(pbx);
        byChannel.put(id(pbx, uniqueid), call);
        return new Leg(uniqueid, channel, ep.kind(channel), ep.extension(channel), ep.trunk(channel),
                Leg.blankToNull(callerNumber), exten, at);
    }

    private void variable(CallFact.Variable f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call != null) {
            call.variable(f.uniqueid(), f.name(), f.value(), f.at(), out);
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
        Leg dest = call.leg(f.destUniqueid());
        if (dest == null) {
            Call other = byChannel.get(id(f.pbx(), f.destUniqueid()));
            if (other != null) {
                dest = moveLeg(other, call, f.pbx(), f.destUniqueid(), f.at(), out);
            } else {
                dest = newLeg(call, f.pbx(), f.destUniqueid(), f.destChannel(), null, null, f.at());
                call.add(dest);
            }
        }
        call.dials(dest, f, out);
    }

    private void dialEnd(CallFact.DialEnd f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.destUniqueid(), null);
        if (call != null) {
            call.dialEnded(call.leg(f.destUniqueid()), f.status() == null ? "" : f.status(), f.at(), out);
        }
    }

    private void stateChange(CallFact.StateChange f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call != null) {
            call.stateChanged(call.leg(f.uniqueid()), f.state(), f.at(), out);
        }
    }

    private void hangup(String pbx, String uniqueid, Instant at, int cause, List<CallEvent> out) {
        Call call = byChannel.get(id(pbx, uniqueid));
        if (call != null && call.hungUp(call.leg(uniqueid), at, cause, out) && call.allGone()) {
            end(call, at, out);
        }
    }

    private void end(Call call, Instant at, List<CallEvent> out) {
        calls.remove(call.key());
        call.legs().forEach(leg -> byChannel.remove(id(call.key().pbx(), leg.uniqueid), call));
        call.end(at, out);
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
        if (target != null) {
            clientCall.takenOverByTransfer(target, f.at(), out);
        }
    }

    private void pickup(CallFact.Pickup f, List<CallEvent> out) {
        Call ringingCall = byChannel.get(id(f.pbx(), f.targetUniqueid()));
        Call pickerCall = byChannel.get(id(f.pbx(), f.pickerUniqueid()));
        if (ringingCall == null || pickerCall == null) {
            return;
        }
        ringingCall.pickingUp(ringingCall.leg(f.targetUniqueid()), f.at(), out);
        Leg picker = ringingCall == pickerCall ? pickerCall.leg(f.pickerUniqueid())
                : moveLeg(pickerCall, ringingCall, f.pbx(), f.pickerUniqueid(), f.at(), out);
        ringingCall.pickedUpBy(picker, f.at(), out);
    }

    /** Moves a channel from one call to another; the call it left ends when nothing of it remains. */
    private Leg moveLeg(Call from, Call to, String pbx, String uniqueid, Instant at, List<CallEvent> out) {
        Leg leg = from.remove(uniqueid);
        if (leg == null) {
            return null;
        }
        to.add(leg);
        byChannel.put(id(pbx, uniqueid), to);
        if (from.isEmpty()) {
            calls.remove(from.key());
        } else if (from.allGone()) {
            end(from, at, out);
        }
        return leg;
    }

    private void rating(CallFact.Rating f, List<CallEvent> out) {
        Call call = callOf(f.pbx(), f.uniqueid(), f.linkedid());
        if (call != null) {
            call.rated(f.vote(), f.at(), out);
        }
    }

    /**
     * After a (re)connect, the PBX's channels now. A channel the model holds but the PBX no longer has hung up
     * while the link was down: at the last moment the link was seen alive, not now, so the gap is never counted
     * as talk. Channels the model never saw start are adopted into their calls — every leg first, then each
     * call's story, so a phone listed before its trunk is not taken for a call of its own. Every call alive
     * across the gap is partly seen: its ending waits for the PBX's record.
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
            if (!call.key().pbx().equals(f.pbx())) {
                continue;
            }
            call.seenPartly();
            touched.add(call);
            for (Leg leg : List.copyOf(call.legs())) {
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
            call.adopt(newLeg(call, f.pbx(), c.uniqueid(), c.channel(), c.callerNumber(), c.exten(), f.at()));
            touched.add(call);
        }
        for (Call call : touched) {
            if (calls.get(call.key()) == call) {
                call.resume(alive, f.at(), out);
            }
        }
    }

    /**
     * The PBX's record of a call the model saw only in part, which the model has let go of by now: how it really
     * ended, in the model's terms ({@link CallEnding#fromRecord}).
     */
    public List<CallEvent> recorded(CallFact.PbxRecord f, CallKey key, CallEvent.Direction direction) {
        CallEvent.Ended outcome = CallEnding.fromRecord(f, key, direction, endpoints.apply(f.pbx()));
        String did = f.legs().stream().map(CallFact.RecordedLeg::did).filter(d -> d != null && !d.isBlank())
                .findFirst().orElse(null);
        // the caller as the record tells it (the reconciliation's reading of it), for a call seen without one
        String client = RecordedCall.events(f, key, endpoints.apply(f.pbx())).stream()
                .filter(e -> e instanceof CallEvent.Started).map(e -> ((CallEvent.Started) e).clientNumber())
                .findFirst().orElse(null);
        return List.of(new CallEvent.Recorded(key, f.at(), outcome, did, client));
    }

    /**
     * The PBX's record of a call the model never saw (it started and ended while nobody followed the PBX): its
     * start and end ({@link RecordedCall}); empty when the record says too little to tell it, or the model follows
     * the call after all.
     */
    public List<CallEvent> unseen(CallFact.PbxRecord f, CallKey key) {
        if (calls.containsKey(key)) {
            return List.of();
        }
        return RecordedCall.events(f, key, endpoints.apply(f.pbx()));
    }

    private void tick(CallFact.Tick f, List<CallEvent> out) {
        for (Call call : List.copyOf(calls.values())) {
            if (call.key().pbx().equals(f.pbx())) {
                call.announceIfWaiting(f.at(), ANNOUNCE_AFTER, out);
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
