package io.b24bridge.calls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.b24bridge.settings.InboundRoutes;

/** The lifecycle's working copy of one call; {@link CallCrmState} is what is stored. */
final class CallCrm {

    final CallKey key;
    final CallEvent.Direction direction;
    final Instant startedAt;
    String clientNumber;
    String did;
    String extension;
    boolean ignored;
    Integer defaultResponsible;
    boolean crmCreate = true;
    String leadSource;
    String lineNumber;
    InboundRoutes.ShowCardTo showCardTo = InboundRoutes.ShowCardTo.RINGING;
    boolean registered;
    final List<String> shownTo = new ArrayList<>();
    String operator;
    Instant answeredAt;
    String lastRinging;
    Integer vote;
    boolean finished;
    /** The caller's responsible as routing found them. */
    Integer responsible;
    /** The talk's outcome while the finish waits for the rating (and until when). */
    CallEvent.Ended heldTalk;
    Instant holdUntil;
    /** The recording file on the PBX, once named. */
    String recordingFile;
    /** The call ended partly unseen; its finish waits (until holdUntil) for the PBX's own record of it. */
    boolean awaitingRecord;

    CallCrm(CallKey key, CallEvent.Direction direction, Instant startedAt) {
        this.key = key;
        this.direction = direction;
        this.startedAt = startedAt;
    }

    CallCrmState state() {
        return new CallCrmState(key, direction, startedAt, clientNumber, did, extension, ignored, defaultResponsible,
                crmCreate, leadSource, lineNumber, showCardTo, registered, shownTo, operator, answeredAt, lastRinging,
                vote, finished, responsible, heldTalk, holdUntil, recordingFile, awaitingRecord);
    }

    static CallCrm from(CallCrmState s) {
        CallCrm c = new CallCrm(s.call(), s.direction(), s.startedAt());
        c.clientNumber = s.clientNumber();
        c.did = s.did();
        c.extension = s.extension();
        c.ignored = s.ignored();
        c.defaultResponsible = s.defaultResponsible();
        c.crmCreate = s.crmCreate();
        c.leadSource = s.leadSource();
        c.lineNumber = s.lineNumber();
        c.showCardTo = s.showCardTo() == null ? InboundRoutes.ShowCardTo.RINGING : s.showCardTo();
        c.registered = s.registered();
        c.shownTo.addAll(s.shownTo());
        c.operator = s.operator();
        c.answeredAt = s.answeredAt();
        c.lastRinging = s.lastRinging();
        c.vote = s.vote();
        c.finished = s.finished();
        c.responsible = s.responsible();
        c.heldTalk = s.heldTalk();
        c.holdUntil = s.holdUntil();
        c.recordingFile = s.recordingFile();
        c.awaitingRecord = s.awaitingRecord();
        return c;
    }
}
