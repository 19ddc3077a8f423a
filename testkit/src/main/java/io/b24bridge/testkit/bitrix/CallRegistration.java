package io.b24bridge.testkit.bitrix;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * telephony.externalcall.register as box 26.250 does it: the REST layer's checks
 * ({@code voximplant/classes/general/vi_rest.php:1611-1700}), then {@code Rest\Helper::registerExternalCall}
 * ({@code voximplant/lib/rest/helper.php:77-385}). Line numbers below are of yuliai/bitrix-modules@a3a2a579.
 */
final class CallRegistration {

    /** An open call whose DATE_CREATE is newer than this is a re-registration candidate (helper.php:205). */
    static final Duration REREGISTER_WINDOW = Duration.ofMinutes(30);

    static final String USER_NOT_SET = "USER_ID or USER_PHONE_INNER should be set";
    static final String USER_NOT_FOUND = "User is not found or is not active";
    static final String UNSUPPORTED_PHONE = "Unsupported phone number format";
    static final String LOCAL_USER_LEAD = "Lead creation is disabled for local users";

    private final CrmState state;

    CallRegistration(CrmState state) {
        this.state = state;
    }

    /** What {@code Helper::registerExternalCall} is given, after the REST layer's checks. */
    record Request(String owner, int userId, String phone, int type, String line, String externalId, Instant start,
                   boolean crmCreate, String source, boolean named, String namedType, Integer namedId, boolean show,
                   String origin) {
    }

    /** The call registered, and whether it was an open call found again (a re-registration). */
    record Registered(Call call, boolean again) {
    }

    Reply register(Invocation inv) {
        Args a = inv.args();
        Integer userId = a.integer("USER_ID");
        String inner = Args.str(a.get("USER_PHONE_INNER"));
        String type = a.text("TYPE");
        String date = a.text("CALL_START_DATE");
        Instant start = date.isEmpty() ? null : Dates.parse(date);
        String phone = a.text("PHONE_NUMBER");
        String line = a.has("LINE_NUMBER") ? a.text("LINE_NUMBER") : "";
        String externalId = a.has("EXTERNAL_CALL_ID") ? Args.str(a.get("EXTERNAL_CALL_ID")) : null;
        // (($fields['CRM'] ?? null) || $fields['CRM_CREATE']) with PHP truthiness: "0" and "" are false
        boolean crmCreate = phpTrue(a.get("CRM")) || phpTrue(a.get("CRM_CREATE"));
        boolean show = !a.has("SHOW") || phpTrue(a.get("SHOW"));
        boolean named = a.get("CRM_ENTITY_TYPE") != null && a.get("CRM_ENTITY_ID") != null;
        String namedType = a.text("CRM_ENTITY_TYPE").toUpperCase(java.util.Locale.ROOT);
        Integer namedId = a.integer("CRM_ENTITY_ID");
        String source = a.text("CRM_SOURCE");
        String owner = inv.caller().owner();
        return state.tx(s -> {
            // the REST layer: who (an unknown or inactive extension reads as "not set"), TYPE, the date
            int uid = userId != null && userId != 0 ? userId : s.userByInner(inner).map(User::id).orElse(0);
            if (uid == 0) {
                throw RestError.noCode(USER_NOT_SET);
            }
            int callType = callType(type);
            if (!date.isEmpty() && start == null) {
                throw RestError.noCode("CALL_START_DATE should be in the ISO-8601 format");
            }
            Registered r = register(s, new Request(owner, uid, phone, callType, line, externalId, start, crmCreate,
                    source, named, namedType, namedId, show, "register"));
            return Reply.of(r.call().registerResult(r.again()));
        });
    }

    /** {@code Helper::registerExternalCall}: also how the box registers a click-to-call itself (helper.php:930-944). */
    static Registered register(CrmState s, Request r) {
        String callerId = PhoneNumbers.stripLetters(r.phone());
        if (callerId.isEmpty()) {
            throw RestError.noCode(UNSUPPORTED_PHONE);
        }
        User user = s.user(r.userId()).filter(User::active).orElseThrow(() -> RestError.noCode(USER_NOT_FOUND));
        Instant now = s.now();
        // an unknown LINE_NUMBER becomes a line of this application (helper.php:107-160)
        if (!r.line().isEmpty() && TelephonyLines.find(s, r.owner(), r.line()).isEmpty()) {
            TelephonyLines.add(s, r.owner(), r.line(), "", true);
        }
        Call again = reRegistration(s, r.owner(), user.id(), callerId, r.type(), r.line(), r.externalId(), now);
        if (again != null) {
            again.registerCount++;
            if (r.show()) {
                again.show(again.userId, now, r.origin());
            }
            return new Registered(again, true);
        }
        boolean internal = s.userByInner(callerId).isPresent();
        Call call = new Call(newCallId(now), r.externalId(), r.origin(), r.owner(), r.type(), user.id(), r.phone(),
                r.line(), r.start() == null ? now : r.start(), now, r.crmCreate(), r.source(), internal);
        if (r.named()) {
            bindNamed(call, r.namedType(), r.namedId());
        } else if (!internal) {
            bindFound(s, call);
        }
        if (r.crmCreate() && !internal) {
            createLead(s, call);
        }
        s.addCall(call);
        if (r.show()) {
            call.show(user.id(), now, r.origin());
        }
        return new Registered(call, false);
    }

    /** {@code in_array($params['TYPE'], CVoxImplantMain::getCallTypes())}: 1–5 as a number or numeric text. */
    private static int callType(String type) {
        if (type.matches("[1-5]")) {
            return Integer.parseInt(type);
        }
        throw RestError.noCode("Unknown TYPE");
    }

    /** PHP's truthiness of a request value: absent, "", "0" are false; everything else (also "N") is true. */
    static boolean phpTrue(Object v) {
        String s = Args.str(v);
        return s != null && !s.isEmpty() && !s.equals("0");
    }

    /**
     * The box's duplicate filter (helper.php:200-218): an open call of the same REST_APP_ID, USER_ID, CALLER_ID
     * (exactly: {@code +7916…} is not {@code 8916…}) and TYPE whose DATE_CREATE — CALL_START_DATE — is within the
     * last 30 minutes; the line and EXTERNAL_CALL_ID only narrow it when the request names them.
     */
    private static Call reRegistration(CrmState s, String owner, int userId, String callerId, int type, String line,
                                       String externalId, Instant now) {
        List<Call> open = s.openByCaller.get(callerId);
        if (open == null) {
            return null;
        }
        Instant since = now.minus(REREGISTER_WINDOW);
        for (Call c : open) {
            if (c.principal.equals(owner) && c.userId == userId && c.type == type && c.startDate.isAfter(since)
                    && (line.isEmpty() || line.equals(c.lineNumber))
                    && (externalId == null || sameExternalId(externalId, c.externalCallId))) {
                return c;
            }
        }
        return null;
    }

    /** The ORM compares "" and a missing value alike. */
    private static boolean sameExternalId(String wanted, String stored) {
        return wanted.equals(stored == null ? "" : stored);
    }

    /** CRM_ENTITY_TYPE and CRM_ENTITY_ID given: the primary binding, not checked, not searched (helper.php:286-312). */
    static void bindNamed(Call call, String type, Integer id) {
        call.crmEntityType = type.isEmpty() ? null : type;
        call.crmEntityId = id == null || id <= 0 ? null : id;
    }

    /** The client found by the number ({@link CrmState#client}). */
    static void bindFound(CrmState s, Call call) {
        s.client(call.matchCode).ifPresent(e -> {
            call.crmEntityType = e.type().name();
            call.crmEntityId = e.id();
        });
    }

    /**
     * With CRM_CREATE and no client: a lead of the call's user, {@code "<number> - Incoming call"}; its SOURCE_ID
     * is CRM_SOURCE only when that lead source exists, else CALL, else OTHER; an employee's number gets no lead but
     * LEAD_CREATION_ERROR ({@code vi_crm_helper.php} getLeadFields, registerCallInCrm). A client that exists keeps
     * its binding: the box's "repeat lead" setting is taken as off.
     */
    static void createLead(CrmState s, Call call) {
        if (call.crmEntityType != null) {
            return;
        }
        if (s.employeeNumber(call.matchCode)) {
            call.leadCreationError = LOCAL_USER_LEAD;
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", call.callerId + " - " + leadTitle(call.type));
        fields.put("SOURCE_ID", leadSource(s, call.crmSource));
        fields.put("ASSIGNED_BY_ID", String.valueOf(call.userId));
        fields.put("PHONE", List.of(Map.of("VALUE", call.callerId, "VALUE_TYPE", "WORK")));
        CrmEntity lead = s.addEntity(EntityType.LEAD, null, fields, call.userId);
        call.createdLeadId = lead.id();
        call.createdEntities.add(Map.of("ENTITY_TYPE", "LEAD", "ENTITY_ID", lead.id()));
        call.crmEntityType = "LEAD";
        call.crmEntityId = lead.id();
    }

    private static String leadSource(CrmState s, String wanted) {
        List<String> known = s.statuses("SOURCE").stream().map(CrmStatus::statusId).toList();
        if (wanted != null && known.contains(wanted)) {
            return wanted;
        }
        return known.contains("CALL") ? "CALL" : known.contains("OTHER") ? "OTHER" : "";
    }

    private static String leadTitle(int type) {
        return switch (type) {
            case 2, 3 -> "Incoming call";
            case 4 -> "Callback";
            default -> "Outgoing call";
        };
    }

    static String newCallId(Instant now) {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return "externalCall." + HexFormat.of().formatHex(b) + "." + now.getEpochSecond();
    }
}
