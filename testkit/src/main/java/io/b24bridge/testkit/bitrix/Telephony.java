package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * telephony.externalcall.finish / show / hide as box 26.250 does them ({@code vi_rest.php:1715-1812},
 * {@code voximplant/lib/rest/helper.php:400-740}; yuliai/bitrix-modules@a3a2a579). Register is
 * {@link CallRegistration}; records are in {@link Recordings}; lines and CRM search in {@link TelephonyLines}.
 */
final class Telephony {

    /** The box's text, its missing closing parenthesis included (helper.php:430). */
    static final String CALL_NOT_FOUND = "Call is not found (call should be registered prior to finishing";
    static final String NO_ENTITY = "Could not find associated crm entity for the current call";

    private final CrmState state;
    private final String appName;

    Telephony(CrmState state, String appName) {
        this.state = state;
        this.appName = appName;
    }

    // ---- finish ----

    /**
     * The user is checked first, then CALL_ID's type ({@code INVALID_ARGUMENT} unless a string: an empty string
     * passes and is "not found"); the call must be open — finish deletes it, so a second finish is "not found".
     */
    Reply finish(Invocation inv) {
        Args a = inv.args();
        Integer userId = a.integer("USER_ID");
        String inner = Args.str(a.get("USER_PHONE_INNER"));
        Object rawCallId = a.get("CALL_ID");
        int duration = a.integer("DURATION") == null ? 0 : a.integer("DURATION");
        String statusCode = a.text("STATUS_CODE").isEmpty() ? (duration > 0 ? "200" : "304") : a.text("STATUS_CODE");
        int vote = a.integer("VOTE") == null ? 0 : a.integer("VOTE");
        double cost = parseDouble(a.text("COST"));
        String currency = a.text("COST_CURRENCY");
        String failedReason = a.text("FAILED_REASON");
        boolean addToChat = !a.has("ADD_TO_CHAT") || CallRegistration.phpTrue(a.get("ADD_TO_CHAT"));
        return state.tx(s -> {
            int uid = userId != null && userId != 0 ? userId : s.userByInner(inner).map(User::id).orElse(0);
            if (uid == 0) {
                throw RestError.noCode(CallRegistration.USER_NOT_SET);
            }
            if (!(rawCallId instanceof String callId)) {
                throw RestError.of("INVALID_ARGUMENT", "CALL_ID must be a string");
            }
            Optional<Call> open = s.openCall(callId.strip());
            if (open.isEmpty()) {
                s.late(callId.strip(), "finish");
                throw RestError.noCode(CALL_NOT_FOUND);
            }
            Call call = open.get();
            User user = s.user(uid).filter(User::active)
                    .orElseThrow(() -> RestError.noCode(CallRegistration.USER_NOT_FOUND));
            Instant now = s.now();
            call.hide(user.id(), now, "finish"); // the finishing user's card only (helper.php:447-450)
            call.finished = true;
            call.finishedAt = now;
            s.close(call);
            call.finishUserId = user.id();
            call.duration = duration;
            call.statusCode = statusCode;
            call.vote = vote >= 1 && vote <= 5 ? vote : null;
            call.cost = cost;
            call.costCurrency = currency;
            call.failedReason = failedReason;
            call.addToChat = addToChat;
            call.statisticId = s.next("statistic");
            // what register created goes to who talked; existing entities keep their responsible (helper.php:483-489)
            for (Map<String, Object> created : call.createdEntities) {
                s.entity(EntityType.valueOf((String) created.get("ENTITY_TYPE")), (Integer) created.get("ENTITY_ID"))
                        .ifPresent(e -> s.updateEntity(e, Map.of("ASSIGNED_BY_ID", String.valueOf(user.id()))));
            }
            Optional<Activity> act = activity(s, call, user.id(), now);
            act.ifPresent(x -> {
                s.activities.put(x.id(), x);
                call.activityId = x.id();
            });
            call.statistic = statistic(call, inv.caller(), act.isPresent());
            return Reply.of(call.statistic);
        });
    }

    private static double parseDouble(String s) {
        try {
            return s.isEmpty() ? 0.0 : Double.parseDouble(s.replace(',', '.'));
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /**
     * The one call activity ({@code CVoxImplantCrmHelper::AddCall}, vi_crm_helper.php:409-640): bound to the call's
     * entity; a call without one has the number searched again now (vi_crm_helper.php:424-431) — a client created
     * since register gets the activity; nobody found, no activity. ORIGIN_ID is {@code VI_<CALL_ID>}.
     */
    private static Optional<Activity> activity(CrmState s, Call call, int responsible, Instant now) {
        EntityType ownerType;
        int ownerId;
        if (call.crmEntityType != null && call.crmEntityId != null && EntityType.parse(call.crmEntityType).isPresent()) {
            ownerType = EntityType.parse(call.crmEntityType).orElseThrow();
            ownerId = call.crmEntityId;
        } else {
            Optional<CrmEntity> now2 = s.client(call.matchCode);
            if (now2.isEmpty()) {
                return Optional.empty();
            }
            ownerType = now2.get().type();
            ownerId = now2.get().id();
        }
        List<Activity.Binding> bindings = new ArrayList<>();
        bindings.add(new Activity.Binding(ownerType, ownerId));
        for (Map<String, Object> created : call.createdEntities) {
            Activity.Binding b = new Activity.Binding(EntityType.valueOf((String) created.get("ENTITY_TYPE")),
                    (Integer) created.get("ENTITY_ID"));
            if (!bindings.contains(b)) {
                bindings.add(b);
            }
        }
        boolean incoming = call.type == 2 || call.type == 3;
        String subject = (incoming ? "Incoming call from " : "Outgoing call to ") + call.callerId;
        int duration = call.duration == null ? 0 : call.duration;
        return Optional.of(new Activity(s.next("activity"), call.callId, "VI_" + call.callId, Activity.TYPE_CALL,
                "VOXIMPLANT_CALL", incoming ? Activity.DIRECTION_INCOMING : Activity.DIRECTION_OUTGOING, subject,
                ownerType, ownerId, responsible, bindings, call.startDate, call.startDate.plusSeconds(duration),
                duration, call.statusCode, call.vote, now, null));
    }

    /**
     * The statistics record finish answers (helper.php:456-476,493-497,651-658), with PHP's types: INCOMING and
     * REST_APP_ID strings from the database, CALL_START_DATE a DateTime object ({@code {}} in JSON), CALL_STATUS
     * from DURATION (not STATUS_CODE), CRM_ENTITY_* only when the call has an entity, CRM_ACTIVITY_ID
     * {@code false} and {@code ERRORS.ACTIVITY_CREATION} when no activity could be made.
     */
    private Map<String, Object> statistic(Call call, Caller caller, boolean activity) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("CALL_ID", call.callId);
        r.put("EXTERNAL_CALL_ID", call.externalCallId);
        r.put("PORTAL_USER_ID", call.finishUserId);
        r.put("PHONE_NUMBER", call.callerId);
        r.put("PORTAL_NUMBER", call.lineNumber.isEmpty() ? "REST_APP:" + restAppId(caller) : call.lineNumber);
        r.put("INCOMING", String.valueOf(call.type));
        r.put("CALL_DURATION", call.duration);
        r.put("CALL_START_DATE", Map.of());
        r.put("CALL_STATUS", call.duration > 0 ? 1 : 0);
        r.put("CALL_VOTE", call.vote == null ? 0 : call.vote);
        r.put("COST", call.cost);
        r.put("COST_CURRENCY", call.costCurrency);
        r.put("CALL_FAILED_CODE", call.statusCode);
        r.put("CALL_FAILED_REASON", call.failedReason);
        r.put("REST_APP_ID", caller.webhook() ? null : restAppId(caller));
        r.put("REST_APP_NAME", caller.webhook() ? false : appName);
        r.put("CRM_ACTIVITY_ID", activity ? call.activityId : false);
        r.put("COMMENT", null);
        if (call.crmEntityType != null && call.crmEntityId != null) {
            r.put("CRM_ENTITY_TYPE", call.crmEntityType);
            r.put("CRM_ENTITY_ID", call.crmEntityId);
        }
        r.put("ID", call.statisticId);
        if (!activity) {
            r.put("ERRORS", Map.of("ACTIVITY_CREATION", NO_ENTITY));
        }
        return r;
    }

    /** The local application's row id in {@code b_rest_app}, as the database gives it back: a string. */
    private static String restAppId(Caller caller) {
        return caller.webhook() ? "" : "1";
    }

    // ---- show / hide ----

    Reply show(Invocation inv) {
        return card(inv, true);
    }

    Reply hide(Invocation inv) {
        return card(inv, false);
    }

    /**
     * Shows or hides the card (helper.php:668-740): no auth-type check, never an error. An unknown or finished
     * call answers {@code false}; USER_ID is optional (the call's user), an int or an array.
     */
    private Reply card(Invocation inv, boolean show) {
        Args a = inv.args();
        String callId = a.text("CALL_ID");
        Object rawUsers = a.get("USER_ID");
        return state.tx(s -> {
            Optional<Call> found = s.openCall(callId);
            if (found.isEmpty()) {
                s.late(callId, show ? "show" : "hide");
                return Reply.of(false);
            }
            Call call = found.get();
            List<Integer> users = new ArrayList<>();
            if (rawUsers == null) {
                users.add(call.userId);
            } else {
                for (Object o : Args.asList(rawUsers)) {
                    users.add(Args.intval(o));
                }
            }
            Instant now = s.now();
            for (int u : users) {
                if (show) {
                    call.show(u, now, "show");
                } else {
                    call.hide(u, now, "hide");
                }
            }
            return Reply.of(true);
        });
    }
}
