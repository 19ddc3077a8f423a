package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    /**
     * How long a recording may stay missing, empty or still written before its attach is given up: a dead letter,
     * reported in /health and the API, which an operator may retry once the file is there.
     */
    static final Duration RECORDING_PATIENCE = Duration.ofHours(1);
    /**
     * How long the box may refuse a recording (away, its web server's size limit) before the attach is given up:
     * retried with growing pauses for hours, not forever.
     */
    static final Duration RECORDING_RETRY_FOR = Duration.ofHours(24);

    /**
     * The box finds a repeated register's first call again only while that call's CALL_START_DATE is less than 30
     * minutes old (voximplant/lib/rest/helper.php:200-218); a repeat is sent only within this much of it, leaving
     * room for the two clocks to differ and the request to take its time.
     */
    static final Duration SAFE_REPEAT = Duration.ofMinutes(25);

    private final BoxGateway box;
    private final Map<String, RecordingsDir> recordingsDirs;
    private final RegisterRisks risks;
    private final Clock clock;
    private final TaskCommands tasks;

    /** @param recordingsDirs per PBX id, where this appliance reads that PBX's recordings (absent: none are read) */
    CommandSender(BoxGateway box, Map<String, RecordingsDir> recordingsDirs, RegisterRisks risks, Clock clock,
                  TaskCommands tasks) {
        this.box = box;
        this.recordingsDirs = recordingsDirs;
        this.risks = risks;
        this.clock = clock;
        this.tasks = tasks;
    }

    BoxGateway gateway() {
        return box;
    }

    /**
     * Whether a command is marked as possibly sent before it goes: its repeat must be recognised (a finish, a
     * rating's comment), or — a register — resolved, since the box recognises a repeated register only within 30
     * minutes of the call's start (show, hide and attach only set a state).
     */
    static boolean marksBeforeSending(CrmCommand c) {
        return c instanceof CrmCommand.Finish || c instanceof CrmCommand.RatingComment
                || c instanceof CrmCommand.Register
                || c instanceof CrmCommand.MissedCallTask || c instanceof CrmCommand.CallerReached;
    }

    /**
     * Whether the command may travel in a batch: a register that may have reached the box already goes alone, to be
     * resolved first.
     */
    static boolean batchable(OutboxQueue.Entry e) {
        return BoxGateway.batchable(e.command()) && !(e.command() instanceof CrmCommand.Register && e.maybeSent());
    }

    /**
     * Sends the entry's command.
     *
     * @param callId the box's CALL_ID of the call (null before register)
     * @param entity the CRM entity register bound the call to (for a rating's comment, a task), or null
     * @return what register taught, or null
     */
    BoxGateway.Registration send(OutboxQueue.Entry e, String callId, CrmEntity entity, Duration age) throws Failure {
        switch (e.command()) {
            case CrmCommand.Register r -> {
                return e.maybeSent() ? registerAgain(e, r) : box.register(r);
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
            case CrmCommand.MissedCallTask m -> tasks.send(e, entity);
            case CrmCommand.CallerReached r -> tasks.send(e, entity);
        }
        return null;
    }

    /**
     * A register that may have reached the box before its answer was lost (a timeout, a dropped connection, a crash):
     * the CALL_ID is learned without registering the call twice. Within the box's window the register is simply sent
     * again — the box answers the first call's CALL_ID. Past it, the box module's b24bridge.call.find says whether the
     * first one arrived (and its CALL_ID) or not; without the module nobody can tell: the call is registered so that
     * it reaches the CRM, and named in /health and the log as one that may be there twice.
     */
    private BoxGateway.Registration registerAgain(OutboxQueue.Entry e, CrmCommand.Register r) throws Failure {
        Instant start = r.startedAt() == null ? e.createdAt() : r.startedAt();
        Duration sinceStart = Duration.between(start, clock.instant());
        if (sinceStart.compareTo(SAFE_REPEAT) < 0) {
            return box.register(r);
        }
        switch (box.lookUpRegistration(r.call())) {
            case BoxGateway.Lookup.Found f -> {
                LOG.info(() -> "register of " + r.call() + " had reached the box before its answer was lost ("
                        + sinceStart.toMinutes() + " min after the call's start): " + f.registration().callId());
                return f.registration();
            }
            case BoxGateway.Lookup.NotRegistered n -> {
                return box.register(r);
            }
            case BoxGateway.Lookup.CannotTell t -> {
                BoxGateway.Registration again = box.register(r);
                risks.note(new RegisterRisks.Risk(r.call(), r.clientNumber(), start, again.callId(), clock.instant()));
                LOG.warning("call " + r.call() + " (" + r.clientNumber() + ", started " + start + ") may be in the CRM "
                        + "twice: its register's answer was lost and it could only be repeated "
                        + sinceStart.toMinutes() + " min after the call's start, past the box's 30 minutes, on a box "
                        + "without the b24bridge module to ask. It is now " + again.callId() + "; check the CRM for a "
                        + "second call of that number at that time (GET /api/outbox/at-risk)");
                return again;
            }
        }
    }

    /** A finish repeated after a crash finds the call closed already (contract §5.6): it is done. */
    static boolean finishedBefore(OutboxQueue.Entry e, Failure f) {
        return e.maybeSent() && f.kind() == Failure.Kind.CALL_ALREADY_FINISHED;
    }

    private void attach(CrmCommand.AttachRecording a, String callId, Duration age) throws Failure {
        Optional<Path> file = readyRecording(a, age);
        if (file.isEmpty()) {
            return;
        }
        try {
            box.attachRecording(callId, file.get().getFileName().toString(), file.get());
        } catch (Failure f) {
            throw refusedTooLong(a, f, age);
        }
    }

    /**
     * The recording's file once it is complete; empty when there is nothing to attach (a name outside the
     * recordings folder, a link out of it: logged, the command is done). A file still missing, empty or written is
     * waited for (short pauses) up to {@link #RECORDING_PATIENCE}, then reported. Shared by the single send
     * (streamed from disk) and the batch rounds (a small file inside the batch).
     */
    Optional<Path> readyRecording(CrmCommand.AttachRecording a, Duration age) throws Failure {
        RecordingsDir dir = recordingsDirs.get(a.call().pbx());
        Optional<Path> named = dir == null ? Optional.empty() : dir.localPath(a.recordingFile());
        if (named.isEmpty()) {
            LOG.warning(() -> "the recording of call " + a.call() + " is not attached: the PBX named '"
                    + DialValues.printable(a.recordingFile()) + "', which is not a recording inside "
                    + (dir == null ? "a recordings folder (no pbx entry for " + a.call().pbx() + ")"
                    : dir.onPbx() + " (read at " + dir.local() + ")"));
            return Optional.empty();
        }
        Path file = named.get();
        RecordingFile.State state = RecordingFile.of(file, Instant.now());
        if (state == RecordingFile.State.COMPLETE) {
            try {
                if (!dir.inside(file)) {
                    LOG.warning(() -> "the recording of call " + a.call() + " is not attached: " + file + " is a "
                            + "link out of the recordings folder " + dir.local() + ", or not a regular file");
                    return Optional.empty();
                }
            } catch (IOException e) {
                state = RecordingFile.State.UNREADABLE;
            }
        }
        if (state != RecordingFile.State.COMPLETE) {
            String why = switch (state) {
                case MISSING -> "is not there";
                case EMPTY -> "is empty";
                case GROWING -> "is still being written";
                default -> "cannot be read";
            };
            if (age.compareTo(RECORDING_PATIENCE) > 0) {
                throw new Failure(Failure.Kind.REJECTED, "RECORDING_NOT_READY", "the recording " + file + " " + why
                        + " " + RECORDING_PATIENCE.toMinutes() + " min after the call: check pbx[].recordings-dir and "
                        + "recordings-pbx-dir, and that the appliance may read the folder; retry it once the file is "
                        + "there", null);
            }
            throw new Failure(Failure.Kind.RETRY_LATER, "RECORDING_NOT_READY", "the recording " + file + " " + why,
                    null);
        }
        return Optional.of(file);
    }

    /**
     * What the box's refusal of a recording becomes: tried again with growing pauses up to
     * {@link #RECORDING_RETRY_FOR}, then reported (a dead letter).
     */
    static Failure refusedTooLong(CrmCommand.AttachRecording a, Failure f, Duration age) {
        boolean waits = f.kind() == Failure.Kind.RETRY_LATER || f.kind() == Failure.Kind.RETRY_SLOWLY
                || f.kind() == Failure.Kind.CREDENTIALS;
        if (waits && age.compareTo(RECORDING_RETRY_FOR) > 0) {
            return new Failure(Failure.Kind.REJECTED, f.code(), "the recording of call " + a.call() + " was refused "
                    + "for " + RECORDING_RETRY_FOR.toHours() + " h; the last answer: " + f.getMessage(), f);
        }
        return f;
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
