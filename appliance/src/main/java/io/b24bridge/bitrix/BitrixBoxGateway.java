package io.b24bridge.bitrix;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.b24bridge.calls.CallKey;
import io.b24bridge.crm.CrmCommand;
import io.b24bridge.crm.CrmEntity;
import io.b24bridge.outbox.BoxGateway;

/**
 * The outbox's {@link BoxGateway} over the box's REST API: extensions become user ids through the user
 * directory where a method needs ids (show, hide), the box's errors become the outbox's failure kinds
 * ({@link ErrorClassifier} decides, "already finished" included).
 */
public final class BitrixBoxGateway implements BoxGateway {

    private static final Logger LOG = Logger.getLogger(BitrixBoxGateway.class.getName());

    private final BoxClient client;
    private final TelephonyApi telephony;
    private final CrmApi crm;
    private final UserDirectory users;

    public BitrixBoxGateway(BoxClient client, UserDirectory users) {
        this.client = client;
        this.telephony = new TelephonyApi(client);
        this.crm = new CrmApi(client);
        this.users = users;
    }

    @Override
    public Registration register(CrmCommand.Register r) throws Failure {
        try {
            return registration(telephony.register(request(r)));
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    /**
     * {@code b24bridge.call.find} of the box module: the application's calls with this EXTERNAL_CALL_ID, open or
     * finished, oldest first — the first is the one the lost register made. A box without the module cannot tell.
     */
    @Override
    public Lookup lookUpRegistration(CallKey call) throws Failure {
        if (!client.throughModule()) {
            return new Lookup.CannotTell();
        }
        try {
            JsonNode calls = client.call("b24bridge.call.find", Params.of().put("EXTERNAL_CALL_ID",
                    call.externalCallId())).path("calls");
            if (!calls.isArray() || calls.isEmpty()) {
                return new Lookup.NotRegistered();
            }
            JsonNode first = calls.get(0);
            CrmEntity entity = first.path("CRM_ENTITY_TYPE").isTextual() && first.path("CRM_ENTITY_ID").asInt(0) > 0
                    ? new CrmEntity(first.path("CRM_ENTITY_TYPE").asText(), first.path("CRM_ENTITY_ID").asInt()) : null;
            return new Lookup.Found(new Registration(first.path("CALL_ID").asText(), entity));
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    @Override
    public void show(String callId, List<CrmCommand.UserRef> refs) throws Failure {
        try {
            List<Integer> ids = userIds(refs);
            if (!ids.isEmpty()) {
                telephony.show(callId, ids);
            }
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    @Override
    public void hide(String callId, List<CrmCommand.UserRef> refs) throws Failure {
        try {
            List<Integer> ids = userIds(refs);
            if (!ids.isEmpty()) {
                telephony.hide(callId, ids);
            }
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    @Override
    public void finish(String callId, CrmCommand.Finish f) throws Failure {
        try {
            telephony.finish(request(callId, f));
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    @Override
    public void attachRecording(String callId, String fileName, Path file) throws Failure {
        try {
            telephony.attachRecord(callId, fileName, file);
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    @Override
    public void addRatingComment(CrmEntity entity, CrmCommand.RatingComment c) throws Failure {
        try {
            String operator = "";
            if (c.operator() != null && c.operator().extension() != null) {
                Optional<CrmApi.User> user = users.byExtension(c.operator().extension());
                operator = " Operator: " + user.map(u -> u.name() + " (" + c.operator().extension() + ")")
                        .orElse(c.operator().extension()) + ".";
            }
            crm.addTimelineComment(entity.type(), entity.id(), "The caller rated the call " + c.vote() + " of 5."
                    + operator + " " + mark(c.call()));
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    /**
     * Looks for the call's mark among the entity's latest 50 comments: a comment sent before a crash cut in is
     * among them, since the check follows within the outbox's retry pauses.
     */
    @Override
    public boolean hasRatingComment(CrmEntity entity, CallKey call) throws Failure {
        try {
            String mark = mark(call);
            return crm.latestTimelineComments(entity.type(), entity.id()).stream()
                    .anyMatch(c -> c.comment().contains(mark));
        } catch (BoxException e) {
            throw failure(e);
        }
    }

    /** What tells a rating's comment from others on a timeline: the call it is for, as the box knows it. */
    static String mark(CallKey call) {
        return "[b24bridge " + call.externalCallId() + "]";
    }

    @Override
    public List<BatchAnswer> batch(List<BatchItem> items) throws Failure {
        BatchAnswer[] answers = new BatchAnswer[items.size()];
        String[] methods = new String[items.size()];
        Batch batch = new Batch();
        for (int i = 0; i < items.size(); i++) {
            try {
                Optional<TelephonyApi.Request> request = request(items.get(i));
                if (request.isEmpty()) {
                    answers[i] = BatchAnswer.sent(null); // nothing to send (a card for nobody)
                } else {
                    methods[i] = request.get().method();
                    batch.add("c" + i, methods[i], request.get().params());
                }
            } catch (BoxException e) {
                answers[i] = BatchAnswer.failed(failure(e));
            }
        }
        if (batch.size() == 0) {
            return Arrays.asList(answers);
        }
        Batch.Result result;
        try {
            result = client.batch(batch, false);
        } catch (BoxException e) {
            throw failure(e);
        }
        for (int i = 0; i < items.size(); i++) {
            if (methods[i] == null) {
                continue;
            }
            String key = "c" + i;
            Batch.Result.Error err = result.errors().get(key);
            if (err != null) {
                answers[i] = BatchAnswer.failed(failure(ErrorClassifier.classify(methods[i], 400, err.code(),
                        err.description())));
                continue;
            }
            JsonNode answer = result.results().get(key);
            if (answer == null) {
                // the box answered the batch without a word on this command (review F6b): not done — a register
                // taken for done without its CALL_ID left every later command of its call a dead letter for good
                answers[i] = BatchAnswer.failed(failure(new BoxException.Retryable(methods[i], "NO_ANSWER",
                        "Bitrix24 batch: no answer for " + methods[i] + "; it goes again", null)));
                continue;
            }
            try {
                answers[i] = BatchAnswer.sent(items.get(i).command() instanceof CrmCommand.Register
                        ? registration(TelephonyApi.registered(answer)) : null);
            } catch (BoxException e) {
                answers[i] = BatchAnswer.failed(failure(e));
            }
        }
        return Arrays.asList(answers);
    }

    /** A command as a request for a batch; empty when nothing needs sending (a card for extensions nobody owns). */
    private Optional<TelephonyApi.Request> request(BatchItem item) throws BoxException {
        return switch (item.command()) {
            case CrmCommand.Register r -> Optional.of(new TelephonyApi.Request(TelephonyApi.REGISTER,
                    TelephonyApi.params(request(r))));
            case CrmCommand.Show s -> cards(TelephonyApi.SHOW, item.callId(), userIds(s.users()));
            case CrmCommand.Hide h -> cards(TelephonyApi.HIDE, item.callId(), userIds(h.users()));
            case CrmCommand.Finish f -> Optional.of(new TelephonyApi.Request(TelephonyApi.FINISH,
                    TelephonyApi.params(request(item.callId(), f))));
            case CrmCommand.AttachRecording a -> Optional.of(new TelephonyApi.Request(TelephonyApi.ATTACH_RECORD,
                    TelephonyApi.recordParams(item.callId(), item.recording().fileName(),
                            item.recording().content())));
            case CrmCommand.RatingComment c -> throw new IllegalArgumentException("comments travel alone");
            case CrmCommand.MissedCallTask m -> throw new IllegalArgumentException("tasks travel alone");
            case CrmCommand.CallerReached r -> throw new IllegalArgumentException("tasks travel alone");
        };
    }

    private static Optional<TelephonyApi.Request> cards(String method, String callId, List<Integer> ids) {
        return ids.isEmpty() ? Optional.empty()
                : Optional.of(new TelephonyApi.Request(method, TelephonyApi.cardParams(callId, ids)));
    }

    private static TelephonyApi.Register request(CrmCommand.Register r) {
        return new TelephonyApi.Register(r.user().userId(), r.user().extension(), r.clientNumber(),
                r.outgoing() ? TelephonyApi.CallType.OUTGOING : TelephonyApi.CallType.INCOMING,
                r.startedAt() == null ? null : r.startedAt().atZone(ZoneId.systemDefault()).toOffsetDateTime(),
                r.crmCreate(), r.leadSource(), r.lineNumber(), r.call().externalCallId(), r.show(), null, null);
    }

    private static TelephonyApi.Finish request(String callId, CrmCommand.Finish f) {
        return new TelephonyApi.Finish(callId, f.user().userId(), f.user().extension(), f.talkSeconds(),
                f.statusCode(), null, f.vote(), f.addToChat());
    }

    /** What register's answer teaches: the CALL_ID and the CRM entity it bound the call to. */
    private static Registration registration(TelephonyApi.Registered r) {
        // a lead register created for an unknown number is CRM_CREATED_LEAD too (contract §5.2)
        boolean created = r.createdLeadId() != null && "LEAD".equalsIgnoreCase(r.crmEntityType())
                && r.createdLeadId().equals(r.crmEntityId());
        CrmEntity entity = r.crmEntityType() != null && r.crmEntityId() != null
                ? new CrmEntity(r.crmEntityType(), r.crmEntityId(), created) : null;
        return new Registration(r.callId(), entity);
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

    /** The outbox's kind of a box failure. */
    static Failure failure(BoxException e) {
        Failure.Kind kind = switch (e) {
            case BoxException.Retryable r -> Failure.Kind.RETRY_LATER;
            case BoxException.Auth a -> Failure.Kind.CREDENTIALS;
            case BoxException.Refused r -> Failure.Kind.RETRY_SLOWLY;
            case BoxException.Fatal f -> ErrorClassifier.callAlreadyFinished(f)
                    ? Failure.Kind.CALL_ALREADY_FINISHED : Failure.Kind.REJECTED;
        };
        return new Failure(kind, e.code(), e.getMessage(), e);
    }
}
