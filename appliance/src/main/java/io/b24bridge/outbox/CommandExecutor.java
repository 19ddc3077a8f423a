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

    /** A command sent; {@code bitrixCallId} when register returned one. */
    public record Outcome(String bitrixCallId) {
    }

    private final TelephonyApi telephony;
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
        this.telephony = telephony;
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
        return switch (command) {
            case CrmCommand.Register r -> new Outcome(telephony.register(register(r)).callId());
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
        };
    }

    /** Whether a batch can carry this command (recordings travel alone). */
    public static boolean batchable(CrmCommand command) {
        return !(command instanceof CrmCommand.AttachRecording);
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
