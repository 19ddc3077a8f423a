package io.b24bridge.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.b24bridge.calls.CallEvent;
import io.b24bridge.calls.CallKey;
import io.b24bridge.settings.InboundRoutes.ShowCardTo;

/**
 * What the lifecycle knows of one call in the CRM, stored with every change (same transaction as the
 * commands it caused), so a restarted appliance carries on where it stopped instead of registering again.
 * Built with {@link #builder}: {@code CallCrmState.builder(key, INBOUND, at).did("74951234567").registered(true)
 * .build()}; the lifecycle keeps a call's {@link Builder} as its working copy and stores what it builds.
 *
 * @param ignored     the call is none of the CRM's business (exceptions, internal calls)
 * @param shownTo     extensions whose card is open now
 * @param finished    finish was issued; only a late rating may still follow
 * @param responsible the caller's responsible as routing found them (a Bitrix24 user id), else null
 * @param heldTalk    the talk's outcome while its finish waits for the caller's rating (or the PBX's record of
 *                    a call partly seen), else null
 * @param holdUntil   when the finish goes without the rating (or the PBX's record), while it waits
 * @param recordingFile  the recording on the PBX, once named, else null
 * @param awaitingRecord the call ended partly unseen and its finish waits for the PBX's own record of it
 */
public record CallCrmState(CallKey call, CallEvent.Direction direction, Instant startedAt, String clientNumber,
                           String did, String extension, boolean ignored, Integer defaultResponsible,
                           boolean crmCreate, String leadSource, String lineNumber, ShowCardTo showCardTo,
                           boolean registered, List<String> shownTo, String operator, Instant answeredAt,
                           String lastRinging, Integer vote, boolean finished, Integer responsible,
                           CallEvent.Ended heldTalk, Instant holdUntil, String recordingFile,
                           boolean awaitingRecord) {

    public CallCrmState {
        showCardTo = showCardTo == null ? ShowCardTo.RINGING : showCardTo;
        shownTo = shownTo == null ? List.of() : List.copyOf(shownTo);
    }

    /** A call the CRM has heard nothing of yet: CRM_CREATE on, cards for the ringing phones. */
    public static Builder builder(CallKey call, CallEvent.Direction direction, Instant startedAt) {
        return new Builder(call, direction, startedAt);
    }

    public Builder toBuilder() {
        Builder b = new Builder(call, direction, startedAt);
        b.clientNumber = clientNumber;
        b.did = did;
        b.extension = extension;
        b.ignored = ignored;
        b.defaultResponsible = defaultResponsible;
        b.crmCreate = crmCreate;
        b.leadSource = leadSource;
        b.lineNumber = lineNumber;
        b.showCardTo = showCardTo;
        b.registered = registered;
        b.shownTo.addAll(shownTo);
        b.operator = operator;
        b.answeredAt = answeredAt;
        b.lastRinging = lastRinging;
        b.vote = vote;
        b.finished = finished;
        b.responsible = responsible;
        b.heldTalk = heldTalk;
        b.holdUntil = holdUntil;
        b.recordingFile = recordingFile;
        b.awaitingRecord = awaitingRecord;
        return b;
    }

    /**
     * A state under construction, and the lifecycle's working copy of a call between two changes (the lifecycle,
     * in this package, reads and sets its fields directly).
     */
    public static final class Builder {

        final CallKey call;
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
        ShowCardTo showCardTo = ShowCardTo.RINGING;
        boolean registered;
        /**
         * The CALL_ID Bitrix24 registered a click-to-call under itself: stored with the call when it is first
         * recorded (the journal's BITRIX_CALL_ID), so finish and the recording go to it; not part of the state.
         */
        String givenCallId;
        final List<String> shownTo = new ArrayList<>();
        String operator;
        Instant answeredAt;
        String lastRinging;
        Integer vote;
        boolean finished;
        Integer responsible;
        CallEvent.Ended heldTalk;
        Instant holdUntil;
        String recordingFile;
        boolean awaitingRecord;

        private Builder(CallKey call, CallEvent.Direction direction, Instant startedAt) {
            this.call = call;
            this.direction = direction;
            this.startedAt = startedAt;
        }

        public Builder clientNumber(String v) {
            clientNumber = v;
            return this;
        }

        public Builder did(String v) {
            did = v;
            return this;
        }

        public Builder extension(String v) {
            extension = v;
            return this;
        }

        public Builder ignored(boolean v) {
            ignored = v;
            return this;
        }

        public Builder defaultResponsible(Integer v) {
            defaultResponsible = v;
            return this;
        }

        public Builder crmCreate(boolean v) {
            crmCreate = v;
            return this;
        }

        public Builder leadSource(String v) {
            leadSource = v;
            return this;
        }

        public Builder lineNumber(String v) {
            lineNumber = v;
            return this;
        }

        public Builder showCardTo(ShowCardTo v) {
            showCardTo = v == null ? ShowCardTo.RINGING : v;
            return this;
        }

        public Builder registered(boolean v) {
            registered = v;
            return this;
        }

        public Builder shownTo(List<String> v) {
            shownTo.clear();
            shownTo.addAll(v);
            return this;
        }

        public Builder operator(String v) {
            operator = v;
            return this;
        }

        public Builder answeredAt(Instant v) {
            answeredAt = v;
            return this;
        }

        public Builder lastRinging(String v) {
            lastRinging = v;
            return this;
        }

        public Builder vote(Integer v) {
            vote = v;
            return this;
        }

        public Builder finished(boolean v) {
            finished = v;
            return this;
        }

        public Builder responsible(Integer v) {
            responsible = v;
            return this;
        }

        /** The talk's outcome held for the caller's rating, until {@code until}. */
        public Builder heldTalk(CallEvent.Ended talk, Instant until) {
            heldTalk = talk;
            holdUntil = until;
            return this;
        }

        public Builder recordingFile(String v) {
            recordingFile = v;
            return this;
        }

        /** The call ended partly unseen: its finish waits for the PBX's record. */
        public Builder awaitingRecord(boolean v) {
            awaitingRecord = v;
            return this;
        }

        public CallCrmState build() {
            return new CallCrmState(call, direction, startedAt, clientNumber, did, extension, ignored,
                    defaultResponsible, crmCreate, leadSource, lineNumber, showCardTo, registered, shownTo, operator,
                    answeredAt, lastRinging, vote, finished, responsible, heldTalk, holdUntil, recordingFile,
                    awaitingRecord);
        }
    }
}
