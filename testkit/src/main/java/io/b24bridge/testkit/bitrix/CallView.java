package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.List;

/**
 * One call's whole life in the box: how it was registered (by the application, or by the box itself for
 * click-to-call), the CRM it was bound to, who saw the card when, and how it finished.
 *
 * @param origin        {@code register} or {@code click-to-call}
 * @param principal     the application or webhook that registered it (re-registration is per application, §5.3)
 * @param registerCount how many register calls returned this CALL_ID (1 + re-registrations)
 * @param cardVisibleTo users who see the card now
 * @param status        {@code REGISTERED} or {@code FINISHED}
 */
public record CallView(String callId, String externalCallId, String origin, String principal, int type, int userId,
                       String phoneNumber, String lineNumber, Instant startDate, Instant registeredAt,
                       int registerCount, boolean crmCreate, String crmSource, String crmEntityType,
                       Integer crmEntityId, Integer createdLeadId, String status, List<Integer> cardVisibleTo,
                       List<CardEvent> cardLog, Instant finishedAt, Integer finishUserId, Integer duration,
                       String statusCode, Integer vote, Double cost, String costCurrency, String failedReason,
                       Boolean addToChat, Integer statisticId, Integer activityId, RecordFile record) {

    /** A card shown to or hidden from a user, and why. */
    public record CardEvent(Instant at, int userId, String action, String cause) {
    }

    public boolean finished() {
        return "FINISHED".equals(status);
    }
}
