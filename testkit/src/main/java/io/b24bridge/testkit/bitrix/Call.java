package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A call's mutable state inside {@link CrmState} (guarded by its lock); {@link #view()} is the value. */
final class Call {

    final String callId;
    /** EXTERNAL_CALL_ID as given; null when the register had none (then it matches any, helper.php:212-215). */
    final String externalCallId;
    final String origin;
    /** REST_APP_ID: {@code app:<client_id>} for the application; {@code webhook} for every inbound webhook alike. */
    final String principal;
    final int type;
    final int userId;
    /** CALLER_ID: the number as register keeps it, {@link PhoneNumbers#stripLetters} (helper.php:89). */
    final String callerId;
    /** The CRM's match code of the number ({@link PhoneNumbers#matchCode}). */
    final String matchCode;
    /** The line's number, "" without one (PORTAL_NUMBER is then {@code REST_APP:<app id>}). */
    final String lineNumber;
    /** DATE_CREATE: CALL_START_DATE when given, else the moment of the register (helper.php:261). */
    final Instant startDate;
    final Instant registeredAt;
    final boolean crmCreate;
    final String crmSource;
    /** The number is an active employee's extension: an internal call, no CRM (helper.php:184-198). */
    final boolean internal;
    String crmEntityType;
    Integer crmEntityId;
    Integer createdLeadId;
    final List<Map<String, Object>> createdEntities = new ArrayList<>();
    String leadCreationError;
    int registerCount = 1;
    final Set<Integer> cardVisibleTo = new LinkedHashSet<>();
    final List<CallView.CardEvent> cardLog = new ArrayList<>();
    boolean finished;
    Instant finishedAt;
    Integer finishUserId;
    Integer duration;
    String statusCode;
    Integer vote;
    Double cost;
    String costCurrency;
    String failedReason;
    Boolean addToChat;
    Integer statisticId;
    Integer activityId;
    RecordFile record;
    Map<String, Object> statistic;

    Call(String callId, String externalCallId, String origin, String principal, int type, int userId,
         String phoneNumber, String lineNumber, Instant startDate, Instant registeredAt, boolean crmCreate,
         String crmSource, boolean internal) {
        this.callId = callId;
        this.externalCallId = externalCallId;
        this.origin = origin;
        this.principal = principal;
        this.type = type;
        this.userId = userId;
        this.callerId = PhoneNumbers.stripLetters(phoneNumber);
        this.matchCode = PhoneNumbers.matchCode(callerId);
        this.lineNumber = lineNumber;
        this.startDate = startDate;
        this.registeredAt = registeredAt;
        this.crmCreate = crmCreate;
        this.crmSource = crmSource;
        this.internal = internal;
    }

    void show(int user, Instant at, String cause) {
        cardVisibleTo.add(user);
        cardLog.add(new CallView.CardEvent(at, user, "SHOW", cause));
    }

    void hide(int user, Instant at, String cause) {
        if (cardVisibleTo.remove(user)) {
            cardLog.add(new CallView.CardEvent(at, user, "HIDE", cause));
        }
    }

    void hideAll(Instant at, String cause) {
        for (Integer u : List.copyOf(cardVisibleTo)) {
            hide(u, at, cause);
        }
    }

    /**
     * The answer of register: a new call casts the entity type to a string ("" for none), a re-registration
     * answers it as stored (null for none), and only a new call can carry LEAD_CREATION_ERROR
     * (helper.php:240-250 against 372-383).
     */
    Map<String, Object> registerResult(boolean again) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("CALL_ID", callId);
        r.put("CRM_CREATED_LEAD", createdLeadId);
        r.put("CRM_CREATED_ENTITIES", List.copyOf(createdEntities));
        r.put("CRM_ENTITY_TYPE", again ? crmEntityType : (crmEntityType == null ? "" : crmEntityType));
        r.put("CRM_ENTITY_ID", crmEntityId);
        if (!again && leadCreationError != null) {
            r.put("LEAD_CREATION_ERROR", leadCreationError);
        }
        return r;
    }

    CallView view() {
        return new CallView(callId, externalCallId == null ? "" : externalCallId, origin, principal, type, userId,
                callerId, lineNumber,
                startDate, registeredAt, registerCount, crmCreate, crmSource, crmEntityType, crmEntityId,
                createdLeadId, finished ? "FINISHED" : "REGISTERED", List.copyOf(cardVisibleTo),
                List.copyOf(cardLog), finishedAt, finishUserId, duration, statusCode, vote, cost, costCurrency,
                failedReason, addToChat, statisticId, activityId, record);
    }
}
