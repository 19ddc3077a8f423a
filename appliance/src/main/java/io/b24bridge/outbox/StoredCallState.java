package io.b24bridge.outbox;

import java.time.Instant;
import java.util.List;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CallCrmState;
import io.b24bridge.crm.StatusCodes;
import io.b24bridge.settings.InboundRoutes.ShowCardTo;

/**
 * A call's CRM state as {@code CRM_CALLS.STATE} stores it: the shape version 0.1 wrote (no {@code v}), now with
 * its version. Kept apart from the domain's {@link CallCrmState} so the domain can change while what an
 * installed appliance has stored stays readable: a new shape gets a new version here and a conversion from the
 * old ones, never an edit of this one ({@code StoredRowsCompatibilityTest} reads the rows 0.1 wrote).
 *
 * @param v              the shape's version; absent in rows of 0.1, which have this same shape
 * @param recordingFile  absent in rows of 0.1
 * @param awaitingRecord absent in rows of 0.1 (false)
 */
record StoredCallState(Integer v, Key call, String direction, Instant startedAt, String clientNumber, String did,
                       String extension, boolean ignored, Integer defaultResponsible, boolean crmCreate,
                       String leadSource, String lineNumber, String showCardTo, boolean registered,
                       List<String> shownTo, String operator, Instant answeredAt, String lastRinging, Integer vote,
                       boolean finished, Integer responsible, Talk heldTalk, Instant holdUntil, String recordingFile,
                       Boolean awaitingRecord) {

    static final int VERSION = 1;

    /** A call's key: the PBX and Asterisk's Linkedid. */
    record Key(String pbx, String linkedid) {

        static Key of(CallKey k) {
            return new Key(k.pbx(), k.linkedid());
        }

        CallKey toDomain() {
            return new CallKey(pbx, linkedid);
        }
    }

    /** A talk's outcome held for the rating; {@code statusCode} is the STATUS_CODE its finish will carry. */
    record Talk(Key call, Instant at, String statusCode, int talkSeconds, String operator, String lastRinging,
                String recordingFile, int waitSeconds) {
    }

    static StoredCallState of(CallCrmState s) {
        CallEvent.Ended t = s.heldTalk();
        Talk talk = t == null ? null : new Talk(Key.of(t.call()), t.at(), StatusCodes.of(t.outcome()), t.talkSeconds(),
                t.operator(), t.lastRinging(), t.recordingFile(), t.waitSeconds());
        return new StoredCallState(VERSION, Key.of(s.call()), s.direction().name(), s.startedAt(), s.clientNumber(),
                s.did(), s.extension(), s.ignored(), s.defaultResponsible(), s.crmCreate(), s.leadSource(),
                s.lineNumber(), s.showCardTo().name(), s.registered(), s.shownTo(), s.operator(), s.answeredAt(),
                s.lastRinging(), s.vote(), s.finished(), s.responsible(), talk, s.holdUntil(), s.recordingFile(),
                s.awaitingRecord() ? Boolean.TRUE : null);
    }

    CallCrmState toDomain() {
        if (v != null && v != VERSION) {
            throw new IllegalStateException("a stored call state of version " + v + " (this version reads "
                    + VERSION + "): written by a newer b24bridge?");
        }
        CallEvent.Ended talk = heldTalk == null ? null : new CallEvent.Ended(heldTalk.call().toDomain(),
                heldTalk.at(), StatusCodes.outcome(heldTalk.statusCode()), heldTalk.talkSeconds(), heldTalk.operator(),
                heldTalk.lastRinging(), heldTalk.recordingFile(), heldTalk.waitSeconds());
        return CallCrmState.builder(call.toDomain(), CallEvent.Direction.valueOf(direction), startedAt)
                .clientNumber(clientNumber).did(did).extension(extension).ignored(ignored)
                .defaultResponsible(defaultResponsible).crmCreate(crmCreate).leadSource(leadSource)
                .lineNumber(lineNumber).showCardTo(showCardTo == null ? null : ShowCardTo.valueOf(showCardTo))
                .registered(registered).shownTo(shownTo == null ? List.of() : shownTo).operator(operator)
                .answeredAt(answeredAt).lastRinging(lastRinging).vote(vote).finished(finished)
                .responsible(responsible).heldTalk(talk, holdUntil).recordingFile(recordingFile)
                .awaitingRecord(Boolean.TRUE.equals(awaitingRecord))
                .build();
    }
}
