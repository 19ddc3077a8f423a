package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRM "call" activity that finish creates (§2, §5.5): TYPE_ID 2, DIRECTION 1 in / 2 out, ORIGIN_ID carries
 * the CALL_ID, RESPONSIBLE_ID is finish's USER_ID, bound to the call's entities. Duration, status and vote live
 * in the box's call statistics; they are copied here so a test sees the whole call in one place.
 */
public record Activity(int id, String callId, String originId, int typeId, String providerId, int direction,
                       String subject, EntityType ownerType, int ownerId, int responsibleId, List<Binding> bindings,
                       Instant startTime, Instant endTime, int duration, String statusCode, Integer vote,
                       Instant createdAt, RecordFile record) {

    /** TYPE_ID of a call activity. */
    public static final int TYPE_CALL = 2;
    public static final int DIRECTION_INCOMING = 1;
    public static final int DIRECTION_OUTGOING = 2;

    public Activity {
        bindings = List.copyOf(bindings);
    }

    /** One entity the activity is bound to. */
    public record Binding(EntityType type, int id) {
    }

    Activity withRecord(RecordFile file) {
        return new Activity(id, callId, originId, typeId, providerId, direction, subject, ownerType, ownerId,
                responsibleId, bindings, startTime, endTime, duration, statusCode, vote, createdAt, file);
    }

    /** The crm.activity.get shape. */
    Map<String, Object> rest(String baseUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", String.valueOf(id));
        m.put("OWNER_ID", String.valueOf(ownerId));
        m.put("OWNER_TYPE_ID", String.valueOf(ownerType.typeId()));
        m.put("TYPE_ID", String.valueOf(typeId));
        m.put("PROVIDER_ID", providerId);
        m.put("PROVIDER_TYPE_ID", "CALL");
        m.put("SUBJECT", subject);
        m.put("CREATED", Dates.format(createdAt));
        m.put("START_TIME", Dates.format(startTime));
        m.put("END_TIME", Dates.format(endTime));
        m.put("COMPLETED", "Y");
        m.put("STATUS", "2");
        m.put("RESPONSIBLE_ID", String.valueOf(responsibleId));
        m.put("DIRECTION", String.valueOf(direction));
        m.put("ORIGIN_ID", originId);
        m.put("DESCRIPTION", "");
        List<Object> b = new ArrayList<>();
        for (Binding x : bindings) {
            b.add(Map.of("OWNER_TYPE_ID", String.valueOf(x.type().typeId()), "OWNER_ID", String.valueOf(x.id())));
        }
        m.put("BINDINGS", b);
        if (record != null) {
            m.put("FILES", List.of(Map.of("id", record.fileId(),
                    "url", baseUrl + "/_emulator/files/" + record.fileId())));
        }
        return m;
    }
}
