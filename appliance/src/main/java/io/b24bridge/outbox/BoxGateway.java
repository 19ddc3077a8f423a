package io.b24bridge.outbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;

/**
 * The Bitrix24 box as the outbox needs it: the telephony calls of a call's life, a rating's comment on a CRM
 * entity's timeline, and a batch of commands. The {@code bitrix} package implements it over REST; the
 * dispatcher's own tests use a fake. Every failure says what the outbox should do next ({@link Failure.Kind}).
 */
public interface BoxGateway {

    /** The most commands one batch request carries (the box's own limit, contract §1). */
    int MAX_BATCH = 50;

    /** What register answered: the box's CALL_ID and the CRM entity it bound the call to (null when none). */
    record Registration(String callId, CrmEntity entity) {
    }

    /** telephony.externalcall.register. */
    Registration register(CrmCommand.Register command) throws Failure;

    /** What the box knows of a call whose register's answer was lost ({@link #lookUpRegistration}). */
    sealed interface Lookup {
        /** It registered the call (the first of them, if a late repeat made more): its CALL_ID. */
        record Found(Registration registration) implements Lookup {
        }

        /** No call with this EXTERNAL_CALL_ID: the register never arrived. */
        record NotRegistered() implements Lookup {
        }

        /** The box cannot be asked (no b24bridge module: its b24bridge.call.find). */
        record CannotTell() implements Lookup {
        }
    }

    /** Looks the call up by its EXTERNAL_CALL_ID, open or finished (b24bridge.call.find of the box module). */
    Lookup lookUpRegistration(CallKey call) throws Failure;

    /** telephony.externalcall.show for these users (nothing is sent when none of them is a Bitrix24 user). */
    void show(String callId, List<CrmCommand.UserRef> users) throws Failure;

    /** telephony.externalcall.hide, likewise. */
    void hide(String callId, List<CrmCommand.UserRef> users) throws Failure;

    /**
     * telephony.externalcall.finish. A call the box has finished already (a repeat after a crash) fails with
     * {@link Failure.Kind#CALL_ALREADY_FINISHED}.
     */
    void finish(String callId, CrmCommand.Finish command) throws Failure;

    /**
     * telephony.externalCall.attachRecord with the file, streamed from disk as the box takes it; a repeat replaces
     * the earlier one.
     */
    void attachRecording(String callId, String fileName, Path file) throws Failure;

    /**
     * crm.timeline.comment.add: the caller's rating on the entity's timeline, marked with the call it is for so
     * that {@link #hasRatingComment} can find it.
     */
    void addRatingComment(CrmEntity entity, CrmCommand.RatingComment rating) throws Failure;

    /** Whether the entity's timeline already shows this call's rating comment (sent before a crash cut in). */
    boolean hasRatingComment(CrmEntity entity, CallKey call) throws Failure;

    /**
     * One command of a batch, the CALL_ID of its call (null for a register) and, for a recording, its file as read
     * (else null).
     */
    record BatchItem(CrmCommand command, String callId, Recording recording) {
        public BatchItem(CrmCommand command, String callId) {
            this(command, callId, null);
        }
    }

    /** A recording's file name and bytes, read where this appliance sees the PBX's recordings. */
    record Recording(String fileName, byte[] content) {
    }

    /** One command's answer in a batch: what register taught (else null), or why it failed (else null). */
    record BatchAnswer(Registration registration, Failure failure) {

        public static BatchAnswer sent(Registration registration) {
            return new BatchAnswer(registration, null);
        }

        public static BatchAnswer failed(Failure failure) {
            return new BatchAnswer(null, failure);
        }
    }

    /**
     * Sends up to {@link #MAX_BATCH} {@linkplain #batchable batchable} commands (of different calls) as one
     * request; answers per item, in order. Throws when the request as a whole failed.
     */
    List<BatchAnswer> batch(List<BatchItem> items) throws Failure;

    /**
     * Whether a batch can carry the command: a rating's comment and the missed-call task commands travel alone
     * (they need the call's entity and decide on what the box answers); a recording goes in a batch with its file
     * inside (attachRecord's FILE_CONTENT is a parameter like any other in the box's {@code batch},
     * rest_provider.php) when it is small ({@link #MAX_BATCHED_RECORDING}), else alone, streamed from disk.
     */
    static boolean batchable(CrmCommand command) {
        return !(command instanceof CrmCommand.RatingComment)
                && !(command instanceof CrmCommand.MissedCallTask) && !(command instanceof CrmCommand.CallerReached);
    }

    /**
     * Recording bytes one batch carries at most (before base64): a batch stays far below the box's request limits
     * (nginx's client_max_body_size, PHP's post_max_size: 8 MB by default) and its 2 s of transfer on a slow link.
     */
    int MAX_BATCH_BYTES = 2 * 1024 * 1024;
    /**
     * The largest recording read into a batch (a few seconds of WAV, a minute of MP3); a larger one travels alone,
     * streamed from disk, never whole in the heap.
     */
    int MAX_BATCHED_RECORDING = 256 * 1024;

    /** A command the box did not take, and what to do about it. */
    final class Failure extends Exception {

        /** What the outbox does next. */
        public enum Kind {
            /** the box is away, busy or rate-limiting: try again after a pause */
            RETRY_LATER,
            /**
             * the box's web server turns it away (a body over its size limit, a certificate rule) or a file is not
             * ready: an operator may have to act; tried again after long pauses, not set aside
             */
            RETRY_SLOWLY,
            /** the appliance's credentials do not work: keep the work, try again after a long pause */
            CREDENTIALS,
            /** the box will never take this command: a dead letter */
            REJECTED,
            /** finish: the box has no open call of this CALL_ID any more, as after a finish it already took */
            CALL_ALREADY_FINISHED
        }

        private final Kind kind;
        private final String code;

        /** @param code the box's error code, or one of ours ({@code NO_CALL_ID}, {@code UNREACHABLE}, …) */
        public Failure(Kind kind, String code, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.code = code;
        }

        public Kind kind() {
            return kind;
        }

        public String code() {
            return code;
        }

        /**
         * Whether the request may have reached the box although no answer came: a timeout or a connection broken
         * after it was sent, a proxy's 502/504 (the box behind it may have finished). Every other failure is an
         * answer, or no connection at all: the box did not do it.
         */
        public boolean answerLost() {
            return ANSWER_LOST.contains(code);
        }

        private static final Set<String> ANSWER_LOST = Set.of("TIMEOUT", "NO_ANSWER",
                "INTERRUPTED", "HTTP_502", "HTTP_504");
    }
}
