package io.b24bridge.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.b24bridge.bitrix.BoxException;
import io.b24bridge.bitrix.CrmApi;
import io.b24bridge.bitrix.TelephonyApi;
import io.b24bridge.bitrix.UserDirectory;
import io.b24bridge.calls.CrmCommand;

/**
 * Sends one outbox command to the box through the typed telephony API: extensions become user ids through
 * the user directory where the method needs ids (show, hide), recordings are read from where this
 * appliance sees the PBX's recordings.
 */
public final class CommandExecutor {

    private static final Logger LOG = Logger.getLogger(CommandExecutor.class.getName());

    /** A command sent; {@code bitrixCallId} and the CRM entity when register returned them. */
    public record Outcome(String bitrixCallId, OutboxStore.CrmEntity entity) {

        public Outcome(String bitrixCallId) {
            this(bitrixCallId, null);
        }
    }

    private final TelephonyApi telephony;
    private final CrmApi crm;
    private final UserDirectory users;
    /** Where this appliance reads a PBX's recordings: {@code local} shows the PBX's folder {@code onPbx}. */
    public record RecordingsDir(Path local, Path onPbx) {

        Path localPath(Path pbxPath) {
            return pbxPath.startsWith(onPbx) ? local.resolve(onPbx.relativize(pbxPath)) : local.resolve(pbxPath.getFileName());
        }
    }

    private final Map<String, RecordingsDir> recordingsDirs;

    /** @param recordingsDirs per PBX id, where this appliance reads that PBX's recordings (absent: the PBX's path) */
    public CommandExecutor(TelephonyApi telephony, UserDirectory users, Map<String, RecordingsDir> recordingsDirs) {
        this(telephony, null, users, recordingsDirs);
    }

    /** @param crm for timeline comments (a rating after the finish); null: such ratings are only logged */
    public CommandExecutor(TelephonyApi telephony, CrmApi crm, UserDirectory users,
                           Map<String, RecordingsDir> recordingsDirs) {
        this.telephony = telephony;
        this.crm = crm;
        this.users = users;
        this.recordingsDirs = recordingsDirs;
    }

    /**
     * @param callId      the box's CALL_ID of the call (null before register)
     * @param maybeSent   the command may have reached the box before a crash cut in
     */
    /** How long a recording may stay unreadable before its attach is given up (a dead letter). */
    static final java.time.Duration RECORDING_PATIENCE = java.time.Duration.ofMinutes(10);

    public Outcome execute(CrmCommand command, String callId, boolean maybeSent) throws BoxException {
        return execute(command, callId, maybeSent, java.time.Duration.ZERO);
    }

    /** @param age how long the command has waited in the outbox */
    public Outcome execute(CrmCommand command, String callId, boolean maybeSent, java.time.Duration age)
            throws BoxException {
        return execute(command, callId, null, maybeSent, age);
    }

    /** @param entity the CRM entity register bound the call to (for a rating's comment), or null */
    public Outcome execute(CrmCommand command, String callId, OutboxStore.CrmEntity entity, boolean maybeSent,
                           java.time.Duration age) throws BoxException {
        return switch (command) {
            case CrmCommand.Register r -> registered(telephony.register(register(r)));
            case CrmCommand.RatingComment c -> {
                comment(c, entity);
                yield new Outcome(null);
            }
            case CrmCommand.Show s -> {
                List<Integer> ids = userIds(s.users());
                if (!ids.isEmpty()) {
                    telephony.show(need(callId, command), ids);
                }
                yield new Outcome(null);
            }
            case CrmCommand.Hide h -> {
                List<Integer> ids = userIds(h.users());
                if (!ids.isEmpty()) {
                    telephony.hide(need(callId, command), ids);
                }
                yield new Outcome(null);
            }
            case CrmCommand.Finish f -> {
                try {
                    telephony.finish(new TelephonyApi.Finish(need(callId, command), f.user().userId(),
                            f.user().extension(), f.talkSeconds(), f.statusCode(), null, f.vote(), f.addToChat()));
                } catch (BoxException.Fatal e) {
                    // a finish repeated after a crash finds the call closed already (contract §5.6): it is done
                    if (!(maybeSent && e.getMessage().contains("not found"))) {
                        throw e;
                    }
                    LOG.info(() -> "finish of " + f.call() + " was already done before a restart");
                }
                yield new Outcome(null);
            }
            case CrmCommand.AttachRecording a -> {
                Path file = recording(a);
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (IOException e) {
                    // MixMonitor closes the file at hangup: give it a little while, then stop asking
                    if (age.compareTo(RECORDING_PATIENCE) > 0) {
                        throw new BoxException.Fatal("telephony.externalCall.attachRecord", "RECORDING_NOT_FOUND",
                                "the recording " + file + " could not be read for " + RECORDING_PATIENCE.toMinutes()
                                        + " min (" + e.getClass().getSimpleName() + "): check pbx[].recordings-dir and "
                                        + "recordings-pbx-dir, and that the appliance may read the folder", e);
                    }
                    throw new BoxException.Retryable("telephony.externalCall.attachRecord", "RECORDING_UNREADABLE",
                            "the recording " + file + " cannot be read yet (" + e.getClass().getSimpleName() + ")", e);
                }
                telephony.attachRecord(need(callId, command), file.getFileName().toString(), content);
                yield new Outcome(null);
            }
        };
    }

    /**
     * The command as a request for a batch, or empty when it cannot go in one (a recording: too big) or
     * needs nothing sent (a card for extensions nobody owns).
     */
    public Optional<TelephonyApi.Request> batchRequest(CrmCommand command, String callId) throws BoxException {
        return switch (command) {
            case CrmCommand.Register r -> Optional.of(new TelephonyApi.Request(TelephonyApi.REGISTER,
                    TelephonyApi.params(register(r))));
            case CrmCommand.Show s -> cards(TelephonyApi.SHOW, need(callId, command), userIds(s.users()));
            case CrmCommand.Hide h -> cards(TelephonyApi.HIDE, need(callId, command), userIds(h.users()));
            case CrmCommand.Finish f -> Optional.of(new TelephonyApi.Request(TelephonyApi.FINISH,
                    TelephonyApi.params(new TelephonyApi.Finish(need(callId, command), f.user().userId(),
                            f.user().extension(), f.talkSeconds(), f.statusCode(), null, f.vote(), f.addToChat()))));
            case CrmCommand.AttachRecording a -> Optional.empty();
            case CrmCommand.RatingComment c -> Optional.empty();
        };
    }

    /** Whether a batch can carry this command (recordings travel alone; a rating's comment needs the entity). */
    public static boolean batchable(CrmCommand command) {
        return !(command instanceof CrmCommand.AttachRecording) && !(command instanceof CrmCommand.RatingComment);
    }

    /** What register's answer teaches: the CALL_ID and the CRM entity it bound the call to. */
    static Outcome registered(TelephonyApi.Registered r) {
        OutboxStore.CrmEntity entity = r.crmEntityType() != null && r.crmEntityId() != null
                ? new OutboxStore.CrmEntity(r.crmEntityType(), r.crmEntityId()) : null;
        return new Outcome(r.callId(), entity);
    }

    /** A rating that came after the finish: a comment on the call's CRM entity. */
    private void comment(CrmCommand.RatingComment c, OutboxStore.CrmEntity entity) throws BoxException {
        if (entity == null || crm == null) {
            LOG.info(() -> "the rating " + c.vote() + " of call " + c.call() + " has no CRM entity to go to"
                    + " (register bound the call to none): it is kept with the operator's ratings only");
            return;
        }
        String operator = "";
        if (c.operator() != null && c.operator().extension() != null) {
            Optional<CrmApi.User> user = users.byExtension(c.operator().extension());
            operator = " Operator: " + user.map(u -> u.name() + " (" + c.operator().extension() + ")")
                    .orElse(c.operator().extension()) + ".";
        }
        try {
            crm.addTimelineComment(entity.type(), entity.id(), "The caller rated the call " + c.vote() + " of 5."
                    + operator);
        } catch (BoxException.Fatal e) {
            // the entity is gone or closed to us: the rating stays with the operator's ratings; the call's
            // recording, which comes after this command, must not wait behind it as a dead letter
            LOG.warning("the rating " + c.vote() + " of call " + c.call() + " could not be added to "
                    + entity.type() + " " + entity.id() + ": " + e.getMessage());
        }
    }

    private static Optional<TelephonyApi.Request> cards(String method, String callId, List<Integer> ids) {
        return ids.isEmpty() ? Optional.empty()
                : Optional.of(new TelephonyApi.Request(method, TelephonyApi.cardParams(callId, ids)));
    }

    private static TelephonyApi.Register register(CrmCommand.Register r) {
        return new TelephonyApi.Register(r.user().userId(), r.user().extension(), r.clientNumber(),
                r.outgoing() ? TelephonyApi.CallType.OUTGOING : TelephonyApi.CallType.INCOMING,
                r.startedAt() == null ? null : r.startedAt().atZone(ZoneId.systemDefault()).toOffsetDateTime(),
                r.crmCreate(), r.leadSource(), r.lineNumber(), r.call().externalCallId(), r.show(), null, null);
    }

    private Path recording(CrmCommand.AttachRecording a) {
        Path onPbx = Path.of(a.recordingFile());
        RecordingsDir dir = recordingsDirs.get(a.call().pbx());
        return dir == null ? onPbx : dir.localPath(onPbx);
    }

    private List<Integer> userIds(List<CrmCommand.UserRef> refs) throws BoxException {
        List<Integer> ids = new ArrayList<>();
        for (CrmCommand.UserRef ref : refs) {
            if (ref.userId() != null) {
                ids.add(ref.userId());
            } else {
                Optional<CrmApi.User> user = users.byExtension(ref.extension());
                if (user.isPresent()) {
                    ids.add(user.get().id());
                } else {
                    LOG.fine(() -> "no Bitrix24 user has extension " + ref.extension() + ": no card for it");
                }
            }
        }
        return ids;
    }

    private static String need(String callId, CrmCommand c) throws BoxException.Fatal {
        if (callId == null) {
            throw new BoxException.Fatal("outbox", "NO_CALL_ID", "no CALL_ID for " + c.call()
                    + ": its register has not succeeded", null);
        }
        return callId;
    }
}
