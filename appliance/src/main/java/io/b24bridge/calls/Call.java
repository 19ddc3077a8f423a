package io.b24bridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.b24bridge.calls.CallEvent.Direction;
import io.b24bridge.calls.CallEvent.Outcome;

/**
 * One call as the model follows it: all the channels sharing a Linkedid (plus those transfers and pickups
 * bring in), who rang, who answered, how it ended — and how each step (a dial, a ring, an answer, a hangup)
 * changes it, told as {@link CallEvent}s. The {@link CallTracker} finds the call a fact is about and moves
 * channels between calls; every change of a call's (and its legs') state happens here. Not thread-safe.
 */
final class Call {

    private final CallKey key;
    private final Instant startedAt;
    private final Map<String, Leg> legs = new LinkedHashMap<>();
    private final Ringing ringing = new Ringing();

    private final Parties parties = new Parties();
    private boolean announced;
    private String recordingFile;
    private String operator;
    private String lastRinging;
    private Instant firstAnswerAt;
    private boolean busySeen;
    /** The responsible's extension whose mobile the dialplan dials now (B24_MOBILE_OF), else null. */
    private String mobileOf;
    /** The caller's responsible as routing found them (B24_RESPONSIBLE), else null. */
    private Integer responsible;
    /** The rating IVR began (B24_RATING): the talk's outcome was told then. */
    private boolean ratingStarted;
    private String clientDialStatus;
    private int originatorCause;
    /**
     * Part of this call happened while the model could not see it (the AMI link or the appliance was down): its
     * ending is what was seen, and the PBX's own record of it tells the rest.
     */
    private boolean partlySeen;
    /** The recording file the CRM was told of, so a changed one is told again. */
    private String recordingTold;

    Call(CallKey key, Instant startedAt) {
        this.key = key;
        this.startedAt = startedAt;
    }

    CallKey key() {
        return key;
    }

    Leg leg(String uniqueid) {
        return legs.get(uniqueid);
    }

    Collection<Leg> legs() {
        return Collections.unmodifiableCollection(legs.values());
    }

    /** A channel joins the call (it appeared, or a transfer or pickup brought it in). */
    void add(Leg leg) {
        legs.put(leg.uniqueid, leg);
    }

    /** A channel leaves the call for another; it rings for nobody here any more. */
    Leg remove(String uniqueid) {
        Leg leg = legs.remove(uniqueid);
        if (leg != null) {
            leg.ringing = false;
        }
        return leg;
    }

    boolean isEmpty() {
        return legs.isEmpty();
    }

    Leg originator() {
        return legs.values().stream().filter(l -> l.uniqueid.equals(key.linkedid())).findFirst()
                .orElseGet(() -> legs.isEmpty() ? null : legs.values().iterator().next());
    }

    boolean allGone() {
        return !legs.isEmpty() && legs.values().stream().noneMatch(Leg::isUp);
    }

    /** How the call ended. */
    CallEvent.Ended outcome(Instant endedAt) {
        boolean answered = firstAnswerAt != null;
        Outcome outcome = answered ? Outcome.ANSWERED
                : parties.givenCallId != null && legs.values().stream().noneMatch(Leg::isTrunk)
                ? Outcome.CANCELLED // a click the operator never took (no answer, busy): the client was never called
                : CallEnding.unanswered(parties.direction, clientDialStatus, busySeen, originatorCause);
        Instant waitEnd = answered ? firstAnswerAt : endedAt;
        int talk = CallEnding.talkSeconds(legs.values(), parties.direction, endedAt);
        return new CallEvent.Ended(key, endedAt, outcome, talk,
                answered ? operator : null, lastRinging, recordingFile,
                (int) Math.max(0, Duration.between(startedAt, waitEnd).toSeconds()), partlySeen);
    }

    // --- how the call progresses: what the tracker's facts do to one call, told as CallEvents ---

    /** A dialplan variable set on one of the call's channels (VarSet) that the model cares about. */
    void variable(String uniqueid, String name, String value, Instant at, List<CallEvent> out) {
        if (name.equals("B24_MOBILE_OF")) {
            mobileOf = Leg.blankToNull(value); // the dialplan clears it after the mobile's Dial
            return;
        }
        if (value == null || value.isBlank()) {
            return;
        }
        switch (name) {
            case "MIXMONITOR_FILENAME", "B24_RECORDING" -> {
                // the client's channel records the whole call, transfers included; a consultation call that an
                // attended transfer brings in records only its own part: the first recording wins
                Leg leg = legs.get(uniqueid);
                if (recordingFile == null || (leg != null && leg == originator())) {
                    recordingFile = value;
                    tellRecording(at, out);
                }
            }
            case "B24_DID" -> parties.did = value;
            case "B24_NUMBER" -> parties.clientNumber = value;
            case "B24_CALL_ID" -> parties.givenCallId = value;
            case "B24_CALLBACK" -> parties.callback = true;
            case "B24_RESPONSIBLE" -> routedTo(value, at, out);
            case "B24_RATING" -> startRating(at, out);
            default -> { }
        }
    }

    /** One of the call's channels dials {@code dest} (DialBegin): the direction is decided, a phone rings. */
    void dials(Leg dest, CallFact.DialBegin f, List<CallEvent> out) {
        dest.dialled = true;
        if (dest.isTrunk() && mobileOf != null && dest.mobileOf == null
                && parties.direction != Direction.OUTBOUND && parties.direction != Direction.INTERNAL) {
            dest.mobileOf = mobileOf; // the routing dials a responsible's mobile: this leg rings for them
        }
        if (!announced && parties.callback && dest.isTrunk() && parties.extension == null) {
            // a callback through a queue or ring group: the operator is the one phone still up when the client is
            // dialled (the others stopped ringing when it answered)
            legs.values().stream().filter(l -> l.isPhone() && l.isUp()).findFirst()
                    .ifPresent(l -> parties.extension = l.extension);
        }
        if (!announced && parties.decide(originator(), dest, f)) {
            announce(f.at(), out);
        }
        if (!announced) {
            return;
        }
        if (ringsOperator(dest)) {
            startRinging(dest, f.at(), out);
        } else if (dest.isTrunk() && parties.direction == Direction.OUTBOUND && parties.trunk == null) {
            parties.trunk = dest.trunk;
        }
    }

    /** A dial of one of the call's channels ended (DialEnd) with {@code status}: ANSWER, BUSY, NOANSWER, … */
    void dialEnded(Leg dest, String status, Instant at, List<CallEvent> out) {
        if (!announced) {
            return;
        }
        if (ringsOperator(dest)) {
            if (status.equals("ANSWER")) {
                answered(dest, at, "answer", out);
            } else {
                if (status.equals("BUSY")) {
                    busySeen = true;
                }
                stopRinging(dest, at, status, out);
            }
        } else if (dest.isTrunk() && parties.direction == Direction.OUTBOUND) {
            if (status.equals("ANSWER")) {
                if (dest.answeredAt == null) {
                    dest.answeredAt = at;
                }
                if (firstAnswerAt == null) {
                    firstAnswerAt = at;
                    operator = parties.extension;
                    out.add(new CallEvent.Answered(key, at, parties.extension, "client answered"));
                }
            } else {
                clientDialStatus = status;
            }
        }
    }

    /** A channel of the call changed state (Newstate). */
    void stateChanged(Leg leg, int state, Instant at, List<CallEvent> out) {
        if (state == CallFact.STATE_BUSY && leg.isPhone()) {
            busySeen = true;
        }
        // an inbound leg answered by the dialplan (IVR, voicemail) is announced by the next tick or its hangup:
        // a dial following at once tells more (an originate answers its first leg before dialling)
        if (state == CallFact.STATE_UP && announced && leg.ringing && ringsOperator(leg)) {
            answered(leg, at, "answer", out);
        }
    }

    /** A channel of the call hung up with a Q.850 cause; false when it had hung up already. */
    boolean hungUp(Leg leg, Instant at, int cause, List<CallEvent> out) {
        if (leg.hungUpAt != null) {
            return false;
        }
        leg.hungUpAt = at;
        leg.hangupCause = cause;
        if (leg.ringing) {
            stopRinging(leg, at, "HANGUP", out);
        }
        if (leg == originator()) {
            originatorCause = cause;
        }
        return true;
    }

    /** The call ended: told as what happened to it, announcing it first if it never was. */
    void end(Instant at, List<CallEvent> out) {
        if (!announced) {
            Leg origin = originator();
            if (parties.callback && parties.givenCallId == null) {
                return; // a callback attempt no operator took: the appliance retries it or tells the CRM it was missed
            }
            if (origin != null && origin.isPhone() && parties.givenCallId != null) {
                parties.clicked(origin, null); // a click whose operator never answered: Bitrix24 has it, it ends
            } else if (origin == null || origin.isPhone()) {
                if (partlySeen) {
                    // found after a gap with too little left to tell what it was (an outbound call whose client
                    // had just hung up: the phone's channel only): the CRM may have it from before the gap, and
                    // waits for its end; a lifecycle that never had it lets the end pass
                    out.add(outcome(at));
                }
                return; // a phone that dialled nobody (feature code, voicemail check): not a call for the CRM
            } else {
                parties.inbound(origin);
            }
            announce(at, out);
        }
        out.add(outcome(at));
    }

    /** An attended transfer brought the consulted colleague's leg into this call: they took it over. */
    void takenOverByTransfer(Leg target, Instant at, List<CallEvent> out) {
        if (target.isPhone() && announced) {
            target.answeredAt = at;
            answered(target, at, "attended transfer", out);
        }
    }

    /** Another phone picks up the call that rings on {@code ringingLeg}: it stops ringing. */
    void pickingUp(Leg ringingLeg, Instant at, List<CallEvent> out) {
        if (ringingLeg.isPhone()) {
            stopRinging(ringingLeg, at, "PICKED_UP", out);
        }
    }

    /** The picking phone's leg, now part of this call, took it. */
    void pickedUpBy(Leg picker, Instant at, List<CallEvent> out) {
        if (picker != null && picker.isPhone() && announced) {
            answered(picker, at, "pickup", out);
        }
    }

    /** The caller rated the operator in the rating IVR. */
    void rated(int vote, Instant at, List<CallEvent> out) {
        if (announced && vote >= 1 && vote <= 5) {
            out.add(new CallEvent.Rated(key, at, vote));
        }
    }

    /**
     * An inbound call that has waited this long without ringing anyone (IVR, queue) is announced now — once its
     * caller's number is known: a call placed through Local channels (an Originate) has none until it dials, and
     * announced without one it could never be registered (the box refuses a register without PHONE_NUMBER).
     */
    void announceIfWaiting(Instant at, Duration after, List<CallEvent> out) {
        if (!announced && !parties.callback && Duration.between(startedAt, at).compareTo(after) >= 0) {
            Leg origin = originator();
            if (origin != null && !origin.isPhone() && origin.callerNumber != null) {
                parties.inbound(origin);
                announce(at, out);
            }
        }
    }

    /** The model lost sight of the PBX for a while (a reconnect): what this call did meanwhile was not seen. */
    void seenPartly() {
        partlySeen = true;
    }

    /** A channel found on the PBX after a gap that the model never saw start: it joins the call as it is now. */
    void adopt(Leg leg) {
        add(leg);
        leg.dialled = !leg.uniqueid.equals(key.linkedid());
        partlySeen = true;
    }

    /**
     * The call as found after a gap, every leg adopted: announced if it was not yet, and the answers it had
     * meanwhile — at the time the PBX's own record gives ({@code CDR(answer)}), else now (a lower bound).
     */
    void resume(Map<String, CallFact.ActiveChannel> alive, Instant at, List<CallEvent> out) {
        if (!announced && legs.size() > 1 && !(parties.callback && parties.givenCallId == null)) {
            Leg origin = originator();
            boolean outbound = origin != null && origin.isPhone() && legs.values().stream().anyMatch(Leg::isTrunk);
            if (outbound) {
                Leg trunkLeg = legs.values().stream().filter(Leg::isTrunk).findFirst().orElseThrow();
                // a channel Dial created runs no dialplan: its Exten is empty; the phone's is what it dialled,
                // unless it is in a subroutine then ('s'): no number, no register (the box refuses one without)
                String dialled = Leg.dialledNumber(trunkLeg.exten, Leg.dialledNumber(origin.exten, null));
                if (dialled != null) {
                    parties.outbound(origin.extension, trunkLeg.trunk, dialled);
                    announce(at, out);
                }
            } else if (origin != null && origin.callerNumber != null) {
                parties.inbound(origin);
                announce(at, out);
            }
            // else no number yet (an originate's Local channels): announced once it dials, as a tick would —
            // a register without PHONE_NUMBER is refused by the box and the call never reaches the CRM
        }
        if (!announced) {
            return;
        }
        for (Leg leg : List.copyOf(legs.values())) {
            CallFact.ActiveChannel now = alive.get(leg.uniqueid);
            boolean talking = now != null && now.state() == CallFact.STATE_UP && now.bridgeId() != null
                    && !now.bridgeId().isBlank();
            if (!talking || leg.answeredAt != null) {
                continue;
            }
            Instant answered = now.answeredAt() != null && !now.answeredAt().isAfter(at) ? now.answeredAt() : at;
            if (leg.isPhone() && parties.direction != Direction.OUTBOUND) {
                answered(leg, answered, "found answered after reconnect", out);
            } else if (leg.isTrunk() && parties.direction == Direction.OUTBOUND) {
                leg.answeredAt = answered; // the client picked up: the calling extension talks
                if (firstAnswerAt == null) {
                    firstAnswerAt = answered;
                    operator = parties.extension;
                }
            }
        }
    }

    private void announce(Instant at, List<CallEvent> out) {
        announced = true;
        out.add(new CallEvent.Started(key, startedAt, parties.direction, parties.clientNumber, parties.did,
                parties.extension, parties.trunk, parties.givenCallId));
        if (responsible != null && parties.direction == Direction.INBOUND) {
            out.add(new CallEvent.Routed(key, at, responsible));
        }
        tellRecording(at, out);
    }

    /** Names the recording to the CRM side once the call is announced, and again if a better one replaces it. */
    private void tellRecording(Instant at, List<CallEvent> out) {
        if (announced && recordingFile != null && !recordingFile.equals(recordingTold)) {
            recordingTold = recordingFile;
            out.add(new CallEvent.RecordingNamed(key, at, recordingFile));
        }
    }

    /**
     * Routing's answer named the caller's responsible (a Bitrix24 user id). The answer comes before the first
     * dial, so usually before the call is announced: it is told right after the announcement then.
     */
    private void routedTo(String userId, Instant at, List<CallEvent> out) {
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
    private void startRating(Instant at, List<CallEvent> out) {
        if (announced && parties.direction == Direction.INBOUND && firstAnswerAt != null && !ratingStarted) {
            ratingStarted = true;
            out.add(new CallEvent.RatingStarted(key, at, outcome(at)));
        }
    }

    /** Whether this leg rings a person for the call: a phone of an inbound or internal call, a mobile leg. */
    private boolean ringsOperator(Leg leg) {
        return (leg.isPhone() && parties.direction != Direction.OUTBOUND)
                || (leg.mobileOf != null && parties.direction == Direction.INBOUND);
    }

    private void startRinging(Leg leg, Instant at, List<CallEvent> out) {
        String ext = leg.ringsFor();
        if (leg.ringing || leg.answeredAt != null || ext.equals(operator)) {
            return;
        }
        if (ringing.start(leg)) {
            lastRinging = ext;
            out.add(new CallEvent.RingStarted(key, at, ext));
        }
    }

    private void stopRinging(Leg leg, Instant at, String reason, List<CallEvent> out) {
        String ext = leg.ringsFor();
        if (ringing.stop(leg) && !ext.equals(operator)) {
            out.add(new CallEvent.RingStopped(key, at, ext, reason));
        }
    }

    /** A phone leg answered or took the call over: it is the operator now; everyone else stops ringing. */
    private void answered(Leg leg, Instant at, String how, List<CallEvent> out) {
        if (leg.answeredAt == null) {
            leg.answeredAt = at;
        }
        leg.dialled = true;
        ringing.stop(leg); // answered: it rings no more, and nobody is told it stopped
        if (firstAnswerAt == null) {
            firstAnswerAt = at;
        }
        String ext = leg.ringsFor();
        if (!ext.equals(operator)) {
            operator = ext;
            out.add(new CallEvent.Answered(key, at, ext, leg.mobileOf != null ? "mobile" : how));
        }
    }
}
