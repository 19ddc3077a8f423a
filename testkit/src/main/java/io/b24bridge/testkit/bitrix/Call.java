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
    final String externalCallId;
    final String origin;
    final String principal;
    final int type;
    final int userId;
    final String phoneNumber;
    final String phoneKey;
    final String lineNumber;
    final Instant startDate;
    final Instant registeredAt;
    final boolean crmCreate;
    final String crmSource;
    /** Its key in {@link CrmState#openCalls}, null for a call the box registered itself. */
    String reRegistrationKey;
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
         String crmSource) {
        this.callId = callId;
        this.externalCallId = externalCallId;
        this.origin = origin;
        this.principal = principal;
        this.type = type;
        this.userId = userId;
        this.phoneNumber = phoneNumber;
        this.phoneKey = PhoneNumbers.key(phoneNumber);
        this.lineNumber = lineNumber;
        this.startDate = startDate;
        this.registeredAt = registeredAt;
        this.crmCreate = crmCreate;
        this.crmSource = crmSource;
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

    /** The answer of register (§2), the same for a re-registration. */
    Map<String, Object> registerResult() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("CALL_ID", callId);
        r.put("CRM_CREATED_LEAD", createdLeadId);
        r.put("CRM_CREATED_ENTITIES", List.copyOf(createdEntities));
        r.put("CRM_ENTITY_TYPE", crmEntityType);
        r.put("CRM_ENTITY_ID", crmEntityId);
        if (leadCreationError != null) {
            r.put("LEAD_CREATION_ERROR", leadCreationError);
        }
        return r;
    }

    CallView view() {
        return new CallView(callId, externalCallId, origin, principal, type, userId, phoneNumber, lineNumber,
                startDate, registeredAt, registerCount, crmCreate, crmSource, crmEntityType, crmEntityId,
                createdLeadId, finished ? "FINISHED" : "REGISTERED", List.copyOf(cardVisibleTo),
                List.copyOf(cardLog), finishedAt, finishUserId, duration, statusCode, vote, cost, costCurrency,
                failedReason, addToChat, statisticId, activityId, record);
    }
}
