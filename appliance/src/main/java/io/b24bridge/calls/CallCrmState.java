package io.b24bridge.calls;

import java.time.Instant;
import java.util.List;

import io.b24bridge.settings.InboundRoutes;

/**
 * What the lifecycle knows of one call in the CRM, stored with every change (same transaction as the
 * commands it caused), so a restarted appliance carries on where it stopped instead of registering again.
 *
 * @param ignored   the call is none of the CRM's business (exceptions, internal calls)
 * @param shownTo   extensions whose card is open now
 * @param finished  finish was issued; only a late rating may still follow
 * @param responsible the caller's responsible as routing found them (a Bitrix24 user id), else null
 * @param heldTalk  the talk's outcome while its finish waits for the caller's rating, else null
 * @param holdUntil when the finish goes without the rating (or the PBX's record), while it waits
 * @param recordingFile the recording on the PBX, once named, else null
 * @param awaitingRecord the call ended partly unseen and its finish waits for the PBX's own record of it
 */
public record CallCrmState(CallKey call, CallEvent.Direction direction, Instant startedAt, String clientNumber,
                           String did, String extension, boolean ignored, Integer defaultResponsible,
                           boolean crmCreate, String leadSource, String lineNumber,
                           InboundRoutes.ShowCardTo showCardTo, boolean registered, List<String> shownTo,
                           String operator, Instant answeredAt, String lastRinging, Integer vote,
                           boolean finished, Integer responsible, CallEvent.Ended heldTalk, Instant holdUntil,
                           String recordingFile, boolean awaitingRecord) {

    public CallCrmState {
        shownTo = shownTo == null ? List.of() : List.copyOf(shownTo);
    }

    /** A state of a call that routing and the rating never touched. */
    public CallCrmState(CallKey call, CallEvent.Direction direction, Instant startedAt, String clientNumber,
                        String did, String extension, boolean ignored, Integer defaultResponsible, boolean crmCreate,
                        String leadSource, String lineNumber, InboundRoutes.ShowCardTo showCardTo, boolean registered,
                        List<String> shownTo, String operator, Instant answeredAt, String lastRinging, Integer vote,
                        boolean finished) {
        this(call, direction, startedAt, clientNumber, did, extension, ignored, defaultResponsible, crmCreate,
                leadSource, lineNumber, showCardTo, registered, shownTo, operator, answeredAt, lastRinging, vote,
                finished, null, null, null, null, false);
    }
}
