package io.b24bridge.crm;

import java.time.Instant;
import java.util.List;

import io.b24bridge.calls.CallKey;

/**
 * What the box must be told about a call, in order (contract §2). Made by the {@link CrmLifecycle}, kept
 * durably by the outbox and sent by it. Each is safe to send again after a crash: register returns the same
 * CALL_ID for the same EXTERNAL_CALL_ID (within the box's 30 minutes from the call's start), show and hide set
 * a state, a repeated attach replaces the recording; a finish and a rating's comment are marked as possibly
 * sent before they go, and a repeat is recognised (the box's "call is not found" answer to a second finish;
 * the comment's mark of its call on the entity's timeline).
 */
public sealed interface CrmCommand {

    CallKey call();

    /** Who a command is about: a Bitrix24 user id when known (route defaults), else an extension. */
    record UserRef(Integer userId, String extension) {

        public static UserRef user(int id) {
            return new UserRef(id, null);
        }

        public static UserRef extension(String ext) {
            return new UserRef(null, ext);
        }
    }

    /** telephony.externalcall.register: the call appears in Bitrix24 (and its card pops for {@code user}). */
    record Register(CallKey call, UserRef user, String clientNumber, boolean outgoing, Instant startedAt,
                    boolean crmCreate, String leadSource, String lineNumber, boolean show) implements CrmCommand {
    }

    /** telephony.externalcall.show for these users. */
    record Show(CallKey call, List<UserRef> users) implements CrmCommand {
    }

    /** telephony.externalcall.hide for these users. */
    record Hide(CallKey call, List<UserRef> users) implements CrmCommand {
    }

    /** telephony.externalcall.finish: the call activity with its operator, talk time, status and rating. */
    record Finish(CallKey call, UserRef user, int talkSeconds, String statusCode, Integer vote, boolean addToChat)
            implements CrmCommand {
    }

    /** telephony.externalCall.attachRecord after finish: the recording file (its path on the PBX). */
    record AttachRecording(CallKey call, String recordingFile) implements CrmCommand {
    }

    /**
     * crm.timeline.comment.add on the call's CRM entity (the one register bound it to): the caller's rating
     * arrived after the finish had gone without it.
     *
     * @param operator who was rated: the operator who talked
     */
    record RatingComment(CallKey call, int vote, UserRef operator, Instant ratedAt) implements CrmCommand {
    }

    /**
     * A missed inbound call of a client the CRM knows: their task (settings, task-templates) is made, or the open
     * one of this caller counts one more try. Queued after the call's finish, when register has told which entity
     * the caller is.
     *
     * @param clientResponsible the client's responsible as routing found them, or null
     * @param routeDefault      the route's default responsible, or null
     * @param lastRinging       the last extension that rang, or null
     */
    record MissedCallTask(CallKey call, String clientNumber, String did, Instant missedAt, int waitSeconds,
                          Integer clientResponsible, Integer routeDefault, String lastRinging) implements CrmCommand {
    }

    /**
     * The client was reached: an inbound call of theirs was answered, or a call to them was. Their open
     * missed-call task is completed or annotated (settings, task-templates' onReturnedCall).
     */
    record CallerReached(CallKey call, String clientNumber, Instant at, boolean outgoing) implements CrmCommand {
    }
}
