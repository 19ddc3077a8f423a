package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.calls.DialValues;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway.Failure;

/**
 * Sends one outbox command through the {@link BoxGateway}, safe to repeat: a finish or a rating's comment that
 * may have reached the box before a crash ({@link OutboxQueue.Entry#maybeSent}) is recognised instead of done
 * twice; recordings are read from where this appliance sees the PBX's files.
 */
final class CommandSender {

    private static final Logger LOG = Logger.getLogger(CommandSender.class.getName());
    /** How long a recording may stay unreadable before its attach is given up (a dead letter). */
    static final Duration RECORDING_PATIENCE = Duration.ofMinutes(10);

    private final BoxGateway box;
    private final Map<String, RecordingsDir> recordingsDirs;

    /** @param recordingsDirs per PBX id, where this appliance reads that PBX's recordings (absent: none are read) */
    CommandSender(BoxGateway box, Map<String, RecordingsDir> recordingsDirs) {
        this.box = box;
        this.recordingsDirs = recordingsDirs;
    }

    BoxGateway gateway() {
        return box;
    }

    /**
     * Whether a command is marked as possibly sent before it goes: the box cannot tell its repeat from a new
     * one by itself (register is recognised by EXTERNAL_CALL_ID, show, hide and attach only set a state).
     */
    static boolean marksBeforeSending(CrmCommand c) {
        return c instanceof CrmCommand.Finish || c instanceof CrmCommand.RatingComment;
    }

    /**
     * Sends the entry's command.
     *
     * @param callId the box's CALL_ID of the call (null before register)
     * @param entity the CRM entity register bound the call to (for a rating's comment), or null
     * @return what register taught, or null
     */
    BoxGateway.Registration send(OutboxQueue.Entry e, String callId, CrmEntity entity, Duration age) throws Failure {
        switch (e.command()) {
            case CrmCommand.Register r -> {
                return box.register(r);
            }
            case CrmCommand.Show s -> box.show(need(callId, s), s.users());
            case CrmCommand.Hide h -> box.hide(need(callId, h), h.users());
            case CrmCommand.Finish f -> {
                try {
                    box.finish(need(callId, f), f);
                } catch (Failure x) {
                    if (!finishedBefore(e, x)) {
                        throw x;
                    }
                    LOG.info(() -> "finish of " + f.call() + " was already done before a restart");
                }
            }
            case CrmCommand.AttachRecording a -> attach(a, need(callId, a), age);
            case CrmCommand.RatingComment c -> comment(e, c, entity);
        }
        return null;
    }

    /** A finish repeated after a crash finds the call closed already (contract §5.6): it is done. */
    static boolean finishedBefore(OutboxQueue.Entry e, Failure f) {
        return e.maybeSent() && f.kind() == Failure.Kind.CALL_ALREADY_FINISHED;
    }

    private void attach(CrmCommand.AttachRecording a, String callId, Duration age) throws Failure {
        RecordingsDir dir = recordingsDirs.get(a.call().pbx());
        Optional<Path> named = dir == null ? Optional.empty() : dir.localPath(a.recordingFile());
        if (named.isEmpty()) {
            LOG.warning(() -> "the recording of call " + a.call() + " is not attached: the PBX named '"
                    + DialValues.printable(a.recordingFile()) + "', which is not a recording inside "
                    + (dir == null ? "a recordings folder (no pbx entry for " + a.call().pbx() + ")"
                    : dir.onPbx() + " (read at " + dir.local() + ")"));
            return;
        }
        Path file = named.get();
        byte[] content;
        try {
            if (!dir.inside(file)) {
                LOG.warning(() -> "the recording of call " + a.call() + " is not attached: " + file + " is a link "
                        + "out of the recordings folder " + dir.local() + ", or not a regular file");
                return;
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            // MixMonitor closes the file at hangup: give it a little while, then stop asking
            if (age.compareTo(RECORDING_PATIENCE) > 0) {
                throw new Failure(Failure.Kind.REJECTED, "RECORDING_NOT_FOUND", "the recording " + file
                        + " could not be read for " + RECORDING_PATIENCE.toMinutes() + " min ("
                        + e.getClass().getSimpleName() + "): check pbx[].recordings-dir and recordings-pbx-dir, and "
                        + "that the appliance may read the folder", e);
            }
            throw new Failure(Failure.Kind.RETRY_LATER, "RECORDING_UNREADABLE", "the recording " + file
                    + " cannot be read yet (" + e.getClass().getSimpleName() + ")", e);
        }
        box.attachRecording(callId, file.getFileName().toString(), content);
    }

    /** A rating that came after the finish: a comment on the call's CRM entity, once. */
    private void comment(OutboxQueue.Entry e, CrmCommand.RatingComment c, CrmEntity entity) throws Failure {
        if (entity == null) {
            LOG.info(() -> "the rating " + c.vote() + " of call " + c.call() + " has no CRM entity to go to"
                    + " (register bound the call to none): it is kept with the operator's ratings only");
            return;
        }
        try {
            if (e.maybeSent() && box.hasRatingComment(entity, c.call())) {
                LOG.info(() -> "the rating of call " + c.call() + " was on the timeline already before a restart");
                return;
            }
        } catch (Failure f) {
            if (f.kind() != Failure.Kind.REJECTED) {
                throw f;
            }
            // the box cannot list the timeline to us: better a rare double comment than none
            LOG.warning("the timeline of " + entity.type() + " " + entity.id() + " could not be read to check for "
                    + "the rating of call " + c.call() + ": " + f.getMessage());
        }
        try {
            box.addRatingComment(entity, c);
        } catch (Failure f) {
            if (f.kind() != Failure.Kind.REJECTED) {
                throw f;
            }
            // the entity is gone or closed to us: the rating stays with the operator's ratings; the call's
            // recording, which comes after this command, must not wait behind it as a dead letter
            LOG.warning("the rating " + c.vote() + " of call " + c.call() + " could not be added to "
                    + entity.type() + " " + entity.id() + ": " + f.getMessage());
        }
    }

    /** The box's CALL_ID of the command's call; a command before a successful register can never go. */
    static String need(String callId, CrmCommand c) throws Failure {
        if (callId == null) {
            throw new Failure(Failure.Kind.REJECTED, "NO_CALL_ID", "no CALL_ID for " + c.call()
                    + ": its register has not succeeded", null);
        }
        return callId;
    }
}
