package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * telephony.externalcall.register / finish / show / hide (§2, §5.1–5.6, §5.8): the call lifecycle in the box.
 * Records (attachRecord) are in {@link Recordings}, lines and CRM search in {@link TelephonyLines}.
 */
final class Telephony {

    /** A re-registration within this window returns the same CALL_ID (§5.3). */
    static final Duration REREGISTER_WINDOW = Duration.ofMinutes(30);

    static final String CALL_NOT_FOUND = "Call is not found (call should be registered prior to finishing)";
    static final String USER_NOT_SET = "USER_ID or USER_PHONE_INNER should be set";
    static final String USER_NOT_FOUND = "User is not found or is not active";

    private final CrmState state;
    private final String appName;

    Telephony(CrmState state, String appName) {
        this.state = state;
        this.appName = appName;
    }

    // ---- register ----

    Reply register(Invocation inv) {
        Args a = inv.args();
        Integer userId = a.integer("USER_ID");
        String inner = a.text("USER_PHONE_INNER");
        if ((userId == null || userId <= 0) && inner.isEmpty()) {
            throw RestError.core(USER_NOT_SET);
        }
        String phone = a.text("PHONE_NUMBER");
        if (phone.isEmpty()) {
            throw RestError.core("PHONE_NUMBER should be set");
        }
        Integer type = a.integer("TYPE");
        if (type == null || type < 1 || type > 5) {
            throw RestError.core("Unknown TYPE");
        }
        Instant start = null;
        if (!a.text("CALL_START_DATE").isEmpty()) {
            start = Dates.parse(a.text("CALL_START_DATE"));
            if (start == null) {
                throw RestError.core("CALL_START_DATE should be in the ISO-8601 format");
            }
        }
        String phoneKey = PhoneNumbers.key(phone);
        if (phoneKey.isEmpty()) {
            throw RestError.core("Unsupported phone number format");
        }
        boolean crmCreate = a.flag("CRM_CREATE", false);
        String source = a.text("CRM_SOURCE");
        Optional<EntityType> entityType = EntityType.parse(a.text("CRM_ENTITY_TYPE"));
        Integer entityId = a.integer("CRM_ENTITY_ID");
        boolean show = a.flag("SHOW", true);
        String line = a.text("LINE_NUMBER");
        String externalId = a.text("EXTERNAL_CALL_ID");
        Instant startDate = start;
        return state.tx(s -> {
            User user = s.activeUser(userId, inner).orElseThrow(() -> RestError.core(USER_NOT_FOUND));
            Instant now = s.now();
            String key = reRegistrationKey(inv.caller().principal(), phoneKey, type, user.id(), line, externalId);
            Call again = s.openCalls.get(key);
            if (again != null && !again.finished && again.registeredAt.isAfter(now.minus(REREGISTER_WINDOW))) {
                again.registerCount++;
                if (show) {
                    again.show(user.id(), now, "register");
                }
                return Reply.of(again.registerResult());
            }
            Call call = new Call(newCallId(now), externalId, "register", inv.caller().principal(), type, user.id(),
                    phone, line, startDate == null ? now : startDate, now, crmCreate, source);
            bindCrm(s, call, entityType.orElse(null), entityId, crmCreate, user.id());
            s.addCall(call, key);
            if (show) {
                call.show(user.id(), now, "register");
            }
            return Reply.of(call.registerResult());
        });
    }

    /**
     * What makes a register a repetition (§5.3): the same application, number, TYPE, user, LINE_NUMBER and
     * EXTERNAL_CALL_ID (an absent one counts as the empty value); CRM fields and the start time are not keys.
     */
    static String reRegistrationKey(String principal, String phoneKey, int type, int userId, String line,
                                    String externalId) {
        return principal + '\u0000' + phoneKey + '\u0000' + type + '\u0000' + userId + '\u0000' + line + '\u0000'
                + externalId;
    }

    /**
     * Binds the call to its CRM entity (§5.1, §5.2): the one named, else the client found by number (CONTACT,
     * COMPANY, LEAD), else with CRM_CREATE=1 a new lead.
     */
    static void bindCrm(CrmState s, Call call, EntityType type, Integer id, boolean create, int userId) {
        Optional<CrmEntity> entity = Optional.empty();
        if (type != null && id != null) {
            entity = s.entity(type, id);
        }
        if (entity.isEmpty()) {
            entity = s.client(call.phoneKey);
        }
        if (entity.isPresent()) {
            call.crmEntityType = entity.get().type().name();
            call.crmEntityId = entity.get().id();
            return;
        }
        if (create) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("TITLE", leadTitle(call.type) + " " + call.phoneNumber);
            fields.put("SOURCE_ID", call.crmSource == null || call.crmSource.isEmpty() ? "CALL" : call.crmSource);
            fields.put("ASSIGNED_BY_ID", String.valueOf(firstResponsible(s, call.phoneKey).orElse(userId)));
            fields.put("PHONE", List.of(Map.of("VALUE", call.phoneNumber, "VALUE_TYPE", "WORK")));
            CrmEntity lead = s.addEntity(EntityType.LEAD, null, fields, userId);
            call.createdLeadId = lead.id();
            call.createdEntities.add(Map.of("ENTITY_TYPE", "LEAD", "ENTITY_ID", lead.id()));
            call.crmEntityType = "LEAD";
            call.crmEntityId = lead.id();
        }
    }

    private static String leadTitle(int type) {
        return switch (type) {
            case 1 -> "Outgoing call";
            case 4 -> "Callback";
            case 5 -> "Information call";
            default -> "Incoming call";
        };
    }

    /** "The first responsible seen for this client" (§2): who took the earliest earlier call from the number. */
    private static Optional<Integer> firstResponsible(CrmState s, String phoneKey) {
        Call c = s.firstCallByPhone.get(phoneKey);
        return c == null ? Optional.empty() : Optional.of(c.finishUserId != null ? c.finishUserId : c.userId);
    }

    static String newCallId(Instant now) {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return "externalCall." + HexFormat.of().formatHex(b) + "." + now.getEpochSecond();
    }

    // ---- finish ----

    Reply finish(Invocation inv) {
        Args a = inv.args();
        Object rawCallId = a.get("CALL_ID");
        String callId = a.text("CALL_ID");
        if (rawCallId == null || rawCallId instanceof Map || rawCallId instanceof List || callId.isEmpty()) {
            throw RestError.of("INVALID_ARGUMENT", "CALL_ID must be a string");
        }
        Integer userId = a.integer("USER_ID");
        String inner = a.text("USER_PHONE_INNER");
        if ((userId == null || userId <= 0) && inner.isEmpty()) {
            throw RestError.core(USER_NOT_SET);
        }
        int duration = Math.max(0, a.integer("DURATION") == null ? 0 : a.integer("DURATION"));
        String statusCode = a.text("STATUS_CODE").isEmpty() ? (duration > 0 ? "200" : "304") : a.text("STATUS_CODE");
        Integer vote = a.integer("VOTE");
        Integer validVote = vote != null && vote >= 1 && vote <= 5 ? vote : null;
        Double cost = a.text("COST").isEmpty() ? null : parseDouble(a.text("COST"));
        String currency = a.text("COST_CURRENCY");
        String failedReason = a.text("FAILED_REASON");
        Boolean addToChat = a.has("ADD_TO_CHAT") ? a.flag("ADD_TO_CHAT", true) : null;
        return state.tx(s -> {
            Call call = s.calls.get(callId);
            if (call == null || call.finished) {
                throw RestError.core(CALL_NOT_FOUND);
            }
            User user = s.activeUser(userId, inner).orElseThrow(() -> RestError.core(USER_NOT_FOUND));
            Instant now = s.now();
            call.finished = true;
            call.finishedAt = now;
            if (call.reRegistrationKey != null) {
                s.openCalls.remove(call.reRegistrationKey, call);
            }
            call.finishUserId = user.id();
            call.duration = duration;
            call.statusCode = statusCode;
            call.vote = validVote;
            call.cost = cost;
            call.costCurrency = currency.isEmpty() ? null : currency;
            call.failedReason = failedReason.isEmpty() ? null : failedReason;
            call.addToChat = addToChat;
            call.statisticId = s.next("statistic");
            if (call.createdLeadId != null) {
                // the lead register created goes to who talked (§5.5); existing entities keep their responsible
                s.entity(EntityType.LEAD, call.createdLeadId).ifPresent(lead ->
                        s.updateEntity(lead, Map.of("ASSIGNED_BY_ID", String.valueOf(user.id()))));
            }
            if (call.crmEntityType != null) {
                Activity act = activity(s, call, user.id(), now);
                s.activities.put(act.id(), act);
                call.activityId = act.id();
            }
            call.hideAll(now, "finish");
            call.statistic = statistic(call, inv.caller());
            return Reply.of(call.statistic);
        });
    }

    private static Double parseDouble(String s) {
        try {
            return Double.valueOf(s.replace(',', '.'));
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /** The one call activity of a finished call (§5.5). */
    private static Activity activity(CrmState s, Call call, int responsible, Instant now) {
        boolean incoming = call.type == 2 || call.type == 3;
        EntityType ownerType = EntityType.valueOf(call.crmEntityType);
        List<Activity.Binding> bindings = new ArrayList<>();
        bindings.add(new Activity.Binding(ownerType, call.crmEntityId));
        for (Map<String, Object> created : call.createdEntities) {
            Activity.Binding b = new Activity.Binding(EntityType.valueOf((String) created.get("ENTITY_TYPE")),
                    (Integer) created.get("ENTITY_ID"));
            if (!bindings.contains(b)) {
                bindings.add(b);
            }
        }
        String subject = (incoming ? "Incoming call from " : "Outgoing call to ") + call.phoneNumber;
        int duration = call.duration == null ? 0 : call.duration;
        // the box's voximplant module writes ORIGIN_ID as "VI_" + CALL_ID (README: deviations)
        return new Activity(s.next("activity"), call.callId, "VI_" + call.callId, Activity.TYPE_CALL,
                "VOXIMPLANT_CALL", incoming ? Activity.DIRECTION_INCOMING : Activity.DIRECTION_OUTGOING, subject,
                ownerType, call.crmEntityId, responsible, bindings, call.startDate,
                call.startDate.plusSeconds(duration), duration, call.statusCode, call.vote, now, null);
    }

    /** The statistics record finish answers with (§2). */
    private Map<String, Object> statistic(Call call, Caller caller) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", call.statisticId);
        r.put("CALL_ID", call.callId);
        r.put("EXTERNAL_CALL_ID", call.externalCallId.isEmpty() ? null : call.externalCallId);
        r.put("PORTAL_USER_ID", call.finishUserId);
        r.put("PHONE_NUMBER", call.phoneNumber);
        r.put("PORTAL_NUMBER", call.lineNumber.isEmpty() ? null : call.lineNumber);
        r.put("INCOMING", call.type);
        r.put("CALL_DURATION", call.duration);
        r.put("CALL_START_DATE", Dates.format(call.startDate));
        r.put("CALL_STATUS", "200".equals(call.statusCode) ? 1 : 0);
        r.put("CALL_VOTE", call.vote);
        r.put("COST", call.cost);
        r.put("COST_CURRENCY", call.costCurrency);
        r.put("CALL_FAILED_CODE", call.statusCode);
        r.put("CALL_FAILED_REASON", call.failedReason);
        r.put("REST_APP_ID", caller.webhook() ? null : 1);
        r.put("REST_APP_NAME", caller.webhook() ? null : appName);
        r.put("CRM_ACTIVITY_ID", call.activityId);
        r.put("COMMENT", null);
        r.put("CRM_ENTITY_TYPE", call.crmEntityType);
        r.put("CRM_ENTITY_ID", call.crmEntityId);
        return r;
    }

    // ---- show / hide ----

    Reply show(Invocation inv) {
        return card(inv, true);
    }

    Reply hide(Invocation inv) {
        return card(inv, false);
    }

    /**
     * Shows or hides the card for the users given (an int or an array, §2). A show for a finished call is
     * "Call is not found"; a hide of one is harmless (its card is already closed) — UNCONFIRMED.
     */
    private Reply card(Invocation inv, boolean show) {
        Args a = inv.args();
        String callId = a.text("CALL_ID");
        if (callId.isEmpty()) {
            throw RestError.core("CALL_ID should be set");
        }
        List<Integer> users = new ArrayList<>();
        for (Object o : a.list("USER_ID")) {
            int id = Args.intval(o);
            if (id > 0) {
                users.add(id);
            }
        }
        if (users.isEmpty()) {
            throw RestError.core("USER_ID should be set");
        }
        return state.tx(s -> {
            Call call = s.calls.get(callId);
            if (call == null || (call.finished && show)) {
                throw RestError.core("Call is not found");
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
