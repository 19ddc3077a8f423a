package io.b24bridge.testkit.bitrix;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A comment added by {@code crm.timeline.comment.add} to a CRM entity's timeline (§4). */
public record TimelineComment(int id, EntityType entityType, int entityId, String comment, int authorId,
                              Instant createdAt) {

    /** As crm.timeline.comment.list shows it: ids as text, the entity type in lower case. */
    Map<String, Object> rest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", String.valueOf(id));
        m.put("CREATED", Dates.format(createdAt));
        m.put("ENTITY_ID", String.valueOf(entityId));
        m.put("ENTITY_TYPE", entityType.name().toLowerCase(Locale.ROOT));
        m.put("AUTHOR_ID", String.valueOf(authorId));
        m.put("COMMENT", comment);
        return m;
    }
}
