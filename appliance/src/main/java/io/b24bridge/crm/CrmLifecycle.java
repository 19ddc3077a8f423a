package io.b24bridge.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallEvent.Outcome;
import io.b24bridge.calls.CallKey;
import io.b24bridge.calls.PhoneNumbers;
import io.b24bridge.crm.CallCrmState.Builder;
import io.b24bridge.settings.InboundRoutes;
import io.b24bridge.settings.Settings;

/**
 * Turns call events into what Bitrix24 must be told, by the settings (contract §2):
 * <ul>
 *   <li>inbound: {@code register} (TYPE 2, LINE_NUMBER = the DID, the route's lead source and CRM_CREATE) for
 *       the first user whose phone rings — the card pops while it rings — or, when nobody rings (IVR, queue
 *       wait), for the route's default responsible; {@code show} for each further user that rings,
 *       {@code hide} when a phone stops ringing or another one answers; {@code finish} with the operator who
 *       answered (or the default responsible when missed), talk time and status; the recording after;</li>
 *   <li>a call routed to the client's responsible (FastAGI) belongs to them until someone answers: a card for the
 *       responsible, a missed call on them;</li>
 *   <li>the caller's rating: when the operator hangs up and the caller goes on to rate them, the finish waits
 *       (up to {@code routing.ratingWaitSeconds}) to carry the rating as VOTE; a rating after the finish becomes
 *       a comment on the CRM entity's timeline. Every rating is also kept per operator;</li>
 *   <li>outbound: {@code register} (TYPE 1) for the calling extension, {@code finish} at the end;</li>
 *   <li>internal calls and the exceptions' numbers and extensions: nothing.</li>
 * </ul>
 * Pure: the caller stores the returned state and commands in one transaction.
 */
public final class CrmLifecycle {

    private static final Logger LOG = Logger.getLogger(CrmLifecycle.class.getName());

    /** One call's change: its new state, the commands it needs (in order) and the ratings it received. */
    public record Change(CallKey call, CallCrmState state, List<CrmCommand> commands, boolean ended,
                         List<Rating> ratings, String givenCallId) {

        public Change {
            ratings = ratings == null ? List.of() : List.copyOf(ratings);
        }

        /** A change that teaches the journal no CALL_ID (a click's is told by the change that started it). */
        public Change(CallKey call, CallCrmState state, List<CrmCommand> commands, boolean ended) {
            this(call, state, commands, ended, List.of(), null);
        }
    }

    /**
     * The caller's rating of an operator, kept per operator (the dashboard's figures).
     *
     * @param operator the extension that talked
     * @param inFinish true when it reached Bitrix24 as finish's VOTE, false when as a timeline comment
     */
    public record Rating(CallKey call, String operator, int vote, Instant at, boolean inFinish) {
    }

    /**
     * How long past its wait a call that waits for the PBX's record is finished with what was seen when no reading
     * of the records came (the reconciliation cannot run: the AMI link is down, or the records cannot be read).
     */
    static final Duration RECORD_LONGSTOP = Duration.ofMinutes(10);

    private final Map<CallKey, Builder> calls = new LinkedHashMap<>();
    /**
     * Per PBX whose own call records the appliance can read: how long a call that ended partly unseen waits for
     * its record before it is finished with what was seen.
     */
    private final Map<String, Duration> recordWait;
    /** DIDs without an inbound route already warned about: the site's own dialplan may route them on purpose. */
    private final Set<String> unroutedDids = new LinkedHashSet<>();

    /** A lifecycle for PBXs whose call records are not read: partly seen calls are finished with what was seen. */
    public CrmLifecycle() {
        this(Map.of());
    }

    public CrmLifecycle(Map<String, Duration> recordWait) {
        this.recordWait = Map.copyOf(recordWait);
    }

    /** Takes back the calls a previous run left open. */
    public void restore(List<CallCrmState> states) {
        for (CallCrmState s : states) {
            calls.put(s.call(), s.toBuilder());
        }
    }

    public Optional<CallCrmState> state(CallKey key) {
        return Optional.ofNullable(calls.get(key)).map(Builder::build);
    }

    /** Applies the events of one PBX fact (in order) under {@code settings}; returns the changes per call. */
    public List<Change> apply(List<CallEvent> events, Settings settings) {
        Map<CallKey, List<CrmCommand>> commands = new LinkedHashMap<>();
        Map<CallKey, List<Rating>> ratings = new LinkedHashMap<>();
        Set<CallKey> touched = new LinkedHashSet<>();
        Set<CallKey> ended = new LinkedHashSet<>();
        for (CallEvent e : events) {
            touched.add(e.call());
            List<CrmCommand> out = commands.computeIfAbsent(e.call(), k -> new ArrayList<>());
            switch (e) {
                case CallEvent.Started s -> started(s, settings, out);
                case CallEvent.Routed r -> routed(r);
                case CallEvent.RingStarted r -> ringStarted(r, settings, out);
                case CallEvent.RingStopped r -> ringStopped(r, out);
                case CallEvent.Answered a -> answered(a, settings, out);
                case CallEvent.RatingStarted r -> ratingStarted(r, settings, out);
                case CallEvent.Rated r -> rated(r, settings, out, ratings.computeIfAbsent(r.call(), k -> new ArrayList<>()));
                case CallEvent.RecordingNamed r -> recordingNamed(r);
                case CallEvent.Recorded r -> {
                    if (recorded(r, settings, out)) {
                        ended.add(r.call());
                    }
                }
                case CallEvent.Ended x -> {
                    if (ended(x, settings, out)) {
                        ended.add(x.call());
                    }
                }
            }
        }
        // a call that started without anyone's phone ringing (IVR, queue wait) is registered now, so it is
        // in the CRM while the caller waits
        for (CallKey key : touched) {
            Builder c = calls.get(key);
            if (c != null && !c.ignored && !c.registered && c.direction == CallEvent.Direction.INBOUND) {
                CallCommands.registerInbound(c, null, settings, commands.get(key));
            }
        }
        List<Change> changes = new ArrayList<>();
        for (CallKey key : touched) {
            Builder c = calls.get(key);
            if (c == null) {
                continue;
            }
            boolean done = ended.contains(key);
            changes.add(new Change(key, c.build(), List.copyOf(commands.getOrDefault(key, List.of())), done,
                    ratings.getOrDefault(key, List.of()), c.givenCallId));
            if (done) {
                calls.remove(key);
            }
        }
        return changes;
    }

    private void started(CallEvent.Started s, Settings settings, List<CrmCommand> out) {
        if (calls.containsKey(s.call())) {
            return; // a call carried over from before a restart, found again on reconnect: it goes on as it was
        }
        Builder c = CallCrmState.builder(s.call(), s.direction(), s.at());
        calls.put(s.call(), c);
        CallCommands.start(c, s, settings, out, did -> {
            // a site's own dialplan may route DIDs on purpose (docs/asterisk/dialplan.md): said once per DID
            boolean first = unroutedDids.add(String.valueOf(did));
            LOG.log(first ? Level.WARNING : Level.FINE, () -> "no inbound route for DID " + did + " (call "
                    + s.call() + "): registered with the defaults; add the DID in settings, inbound-routes"
                    + (first ? " (said once per DID)" : ""));
        });
    }

    private void ringStarted(CallEvent.RingStarted r, Settings settings, List<CrmCommand> out) {
        Builder c = live(r.call());
        if (c == null || c.direction != CallEvent.Direction.INBOUND
                || settings.exceptions().ignoresExtension(r.extension())) {
            return;
        }
        c.lastRinging = r.extension();
        if (!c.registered) {
            CallCommands.registerInbound(c, r.extension(), settings, out);
        } else if (CallCommands.showsRinging(c, settings) && !c.shownTo.contains(r.extension())) {
            out.add(new CrmCommand.Show(c.call, List.of(CrmCommand.UserRef.extension(r.extension()))));
            c.shownTo.add(r.extension());
        }
    }

    private void routed(CallEvent.Routed r) {
        Builder c = live(r.call());
        if (c != null && c.direction == CallEvent.Direction.INBOUND) {
            c.responsible = r.responsibleUserId();
        }
    }

    private void ringStopped(CallEvent.RingStopped r, List<CrmCommand> out) {
        Builder c = live(r.call());
        if (c != null && c.shownTo.remove(r.extension()) && !r.extension().equals(c.operator)) {
            out.add(new CrmCommand.Hide(c.call, List.of(CrmCommand.UserRef.extension(r.extension()))));
        }
    }

    private void answered(CallEvent.Answered a, Settings settings, List<CrmCommand> out) {
        Builder c = live(a.call());
        if (c == null || c.direction != CallEvent.Direction.INBOUND
                || settings.exceptions().ignoresExtension(a.extension())) {
            return;
        }
        c.operator = a.extension();
        if (c.answeredAt == null) {
            c.answeredAt = a.at();
        }
        if (!c.registered) {
            CallCommands.registerInbound(c, a.extension(), settings, out);
        }
        List<CrmCommand.UserRef> others = c.shownTo.stream().filter(ext -> !ext.equals(a.extension()))
                .map(CrmCommand.UserRef::extension).toList();
        if (!others.isEmpty()) {
            out.add(new CrmCommand.Hide(c.call, others));
            c.shownTo.removeIf(ext -> !ext.equals(a.extension()));
        }
        if (settings.callData().showCard() && c.showCardTo != InboundRoutes.ShowCardTo.NOBODY
                && !c.shownTo.contains(a.extension())) {
            out.add(new CrmCommand.Show(c.call, List.of(CrmCommand.UserRef.extension(a.extension()))));
            c.shownTo.add(a.extension());
        }
    }

    /**
     * The operator hung up and the caller is asked for a rating: the finish waits for it, for at most
     * {@code ratingWaitSeconds} (the engine's tick releases it), so the activity carries the VOTE.
     */
    private void ratingStarted(CallEvent.RatingStarted r, Settings settings, List<CrmCommand> out) {
        Builder c = live(r.call());
        if (c == null || c.finished || c.heldTalk != null || c.direction != CallEvent.Direction.INBOUND) {
            return;
        }
        int wait = settings.routing().ratingWaitSeconds();
        c.heldTalk = r.talk();
        c.holdUntil = r.at().plusSeconds(wait);
        if (wait == 0 || c.vote != null) {
            release(c, settings, out);
        }
    }

    /** A held finish goes now: with the rating if it came, without it when the wait is over. */
    private void release(Builder c, Settings settings, List<CrmCommand> out) {
        CallEvent.Ended talk = c.heldTalk;
        c.heldTalk = null;
        c.holdUntil = null;
        CallCommands.finish(c, talk, settings, out);
    }

    private void rated(CallEvent.Rated r, Settings settings, List<CrmCommand> out, List<Rating> ratings) {
        Builder c = calls.get(r.call());
        if (c == null || c.ignored || c.vote != null) {
            return; // the first rating of a call stands
        }
        c.vote = r.vote();
        boolean late = c.finished;
        if (late) {
            // the finish went without it (the caller took longer than the wait): the CRM entity's timeline
            out.add(new CrmCommand.RatingComment(c.call, r.vote(), CallCommands.operatorRef(c), r.at()));
        } else if (c.heldTalk != null) {
            release(c, settings, out);
        }
        if (c.operator != null) {
            ratings.add(new Rating(c.call, c.operator, r.vote(), r.at(), !late));
        }
    }

    private void recordingNamed(CallEvent.RecordingNamed r) {
        Builder c = calls.get(r.call());
        if (c != null) {
            c.recordingFile = r.recordingFile();
        }
    }

    /** The call is over on the PBX; false when its finish waits for the PBX's own record of it. */
    private boolean ended(CallEvent.Ended x, Settings settings, List<CrmCommand> out) {
        Builder c = live(x.call());
        if (c == null) {
            return true;
        }
        Duration wait = recordWait.get(c.call.pbx());
        if (x.partlySeen() && !c.finished && wait != null) {
            // part of the call went unseen: what the model saw is a lower bound; the PBX's record has the truth
            c.awaitingRecord = true;
            c.heldTalk = c.heldTalk != null ? c.heldTalk : x;
            c.holdUntil = x.at().plusSeconds(Math.max(1, wait.toSeconds()));
            if (x.recordingFile() != null) {
                c.recordingFile = x.recordingFile();
            }
            return false;
        }
        if (!c.finished) {
            // a finish held for the rating tells the talk as it was when the operator left, not the IVR's end
            CallEvent.Ended talk = c.heldTalk != null ? c.heldTalk : x;
            c.heldTalk = null;
            c.holdUntil = null;
            if (!CallCommands.finish(c, talk, settings, out)) {
                return true;
            }
        }
        CallCommands.attachRecording(c, x.recordingFile(), x.talkSeconds(), settings, out);
        return true;
    }

    /**
     * The PBX's record of a call that ended partly unseen: it is finished with the record's outcome, talk time and
     * operator (the operator seen, when the record names no phone). False when nothing waited for it.
     */
    private boolean recorded(CallEvent.Recorded r, Settings settings, List<CrmCommand> out) {
        Builder c = calls.get(r.call());
        if (c == null || !c.awaitingRecord) {
            return false;
        }
        if (r.did() != null && !r.did().equals(c.did) && c.direction == CallEvent.Direction.INBOUND
                && !c.registered) {
            // taken at the extension it had reached when it was found after a restart: its DID's route decides
            // who owns it if nobody answered (else a missed call with no one to register it for is lost)
            LOG.info(() -> "call " + c.call + " came in on DID " + r.did() + " (its PBX record), not " + c.did);
            CallCommands.route(c, r.did(), settings);
        }
        if (!c.registered && (c.clientNumber == null || c.clientNumber.isBlank()) && r.clientNumber() != null) {
            // found on the PBX after a gap with no caller's number in sight (an originate's Local channels): the
            // record names the caller; without a number the box refuses the register and the call is lost
            c.clientNumber = PhoneNumbers.format(r.clientNumber(), settings.callData());
            LOG.info(() -> "call " + c.call + " is from " + c.clientNumber + " (its PBX record)");
        }
        CallEvent.Ended seen = c.heldTalk;
        CallEvent.Ended truth = r.outcome();
        String operator = truth.operator() != null ? truth.operator() : seen != null ? seen.operator() : null;
        boolean talked = truth.talkSeconds() > 0 || truth.outcome() == Outcome.ANSWERED;
        CallEvent.Ended outcome = new CallEvent.Ended(c.call, truth.at(), truth.outcome(), truth.talkSeconds(),
                talked ? operator : null, seen != null ? seen.lastRinging() : c.lastRinging, c.recordingFile,
                truth.waitSeconds(), false);
        LOG.info(() -> "call " + c.call + " finished from the PBX's own record: " + outcome.outcome() + ", talk "
                + outcome.talkSeconds() + " s" + (seen != null ? " (seen: " + seen.talkSeconds() + " s)" : ""));
        return finishAwaited(c, outcome, settings, out);
    }

    private boolean finishAwaited(Builder c, CallEvent.Ended outcome, Settings settings, List<CrmCommand> out) {
        c.awaitingRecord = false;
        c.heldTalk = null;
        c.holdUntil = null;
        if (!c.ignored && CallCommands.finish(c, outcome, settings, out)) {
            CallCommands.attachRecording(c, outcome.recordingFile(), outcome.talkSeconds(), settings, out);
        }
        return true;
    }

    /** The calls (by Linkedid) whose finish waits for the PBX's own record of them. */
    public List<CallKey> awaitingRecords(String pbx) {
        return calls.values().stream().filter(c -> c.awaitingRecord && c.call.pbx().equals(pbx)).map(c -> c.call)
                .toList();
    }

    /**
     * Finishes whose wait is over at {@code at} (the engine's tick): held for the rating, they go without it. A call
     * held for the PBX's record is finished with what was seen by {@link #recordsRead}, once the records were read
     * after its wait; here only {@link #RECORD_LONGSTOP} after it, when no reading of the records came at all.
     */
    public List<Change> due(String pbx, Instant at, Settings settings) {
        List<Change> changes = new ArrayList<>();
        for (Builder c : List.copyOf(calls.values())) {
            if (!c.call.pbx().equals(pbx) || c.holdUntil == null || c.holdUntil.isAfter(at)) {
                continue;
            }
            if (c.awaitingRecord) {
                if (!c.holdUntil.plus(RECORD_LONGSTOP).isAfter(at)) {
                    changes.add(withWhatWasSeen(c, settings, "no reading of the PBX's records came in "
                            + RECORD_LONGSTOP.toMinutes() + " min after its wait"));
                }
            } else if (!c.ignored) {
                List<CrmCommand> out = new ArrayList<>();
                release(c, settings, out);
                changes.add(new Change(c.call, c.build(), List.copyOf(out), false));
            }
        }
        return changes;
    }

    /**
     * The PBX's records were read through {@code readThrough} (a reconciliation: every row written by then was
     * looked at, and the calls among them that waited were finished from their row). A call still waiting whose
     * wait ended by then had no row in time: it is finished with what was seen. Deciding on the reading, not on the
     * clock, keeps a busy appliance from giving up on a row that was written in time but not yet read.
     */
    public List<Change> recordsRead(String pbx, Instant readThrough, Settings settings) {
        List<Change> changes = new ArrayList<>();
        for (Builder c : List.copyOf(calls.values())) {
            if (c.call.pbx().equals(pbx) && c.awaitingRecord && !c.holdUntil.isAfter(readThrough)) {
                changes.add(withWhatWasSeen(c, settings, "the PBX's records read through " + readThrough
                        + " have no row of it"));
            }
        }
        return changes;
    }

    /** When the first of this PBX's calls that wait for their record stops waiting (empty: none waits). */
    public Optional<Instant> recordWaitEnds(String pbx) {
        return calls.values().stream().filter(c -> c.awaitingRecord && c.call.pbx().equals(pbx))
                .map(c -> c.holdUntil).min(Instant::compareTo);
    }

    private Change withWhatWasSeen(Builder c, Settings settings, String why) {
        CallEvent.Ended seen = c.heldTalk;
        LOG.warning(() -> "call " + c.call + " ended partly unseen and the PBX's record of it did not come within "
                + "the wait (" + why + "): finished with what was seen (talk " + seen.talkSeconds() + " s, at least)");
        List<CrmCommand> out = new ArrayList<>();
        finishAwaited(c, seen, settings, out);
        calls.remove(c.call);
        return new Change(c.call, c.build(), List.copyOf(out), true);
    }

    /**
     * Calls carried over from before a restart that the PBX no longer has: they ended while the appliance was
     * away, at a moment it did not see. What was seen is a lower bound: answered ones talked at least until
     * {@code lastSeen}, the last moment the previous run followed this PBX (null: unknown, nothing counted). Their
     * finish waits for the PBX's own record when it can be read, else goes with that.
     */
    public List<Change> endOrphans(String pbx, Predicate<CallKey> stillOnThePbx, Instant at, Instant lastSeen,
                                   Settings settings) {
        List<CallEvent> endings = new ArrayList<>();
        for (Builder c : List.copyOf(calls.values())) {
            if (c.call.pbx().equals(pbx) && !stillOnThePbx.test(c.call) && !c.awaitingRecord) {
                Instant seenUntil = lastSeen != null && lastSeen.isBefore(at) ? lastSeen : null;
                int talk = c.answeredAt == null || seenUntil == null ? 0
                        : (int) Math.max(0, Duration.between(c.answeredAt, seenUntil).toSeconds());
                boolean answered = c.answeredAt != null
                        && (c.direction == CallEvent.Direction.OUTBOUND || c.operator != null);
                endings.add(new CallEvent.Ended(c.call, at, answered ? Outcome.ANSWERED : Outcome.NO_ANSWER,
                        talk, c.operator, c.lastRinging, c.recordingFile, 0, true));
                LOG.info(() -> "call " + c.call + " ended while the appliance was away (last seen " + seenUntil + ")");
            }
        }
        return endings.isEmpty() ? List.of() : apply(endings, settings);
    }

    private Builder live(CallKey key) {
        Builder c = calls.get(key);
        return c == null || c.ignored ? null : c;
    }
}
