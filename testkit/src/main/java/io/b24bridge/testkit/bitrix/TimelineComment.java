package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/** A comment added by {@code crm.timeline.comment.add} to a CRM entity's timeline (§4). */
public record TimelineComment(int id, EntityType entityType, int entityId, String comment, int authorId,
                              Instant createdAt) {
}
