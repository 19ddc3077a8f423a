package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/**
 * A call recording attached by attachRecord (§2): its name, size and SHA-256, and how it came
 * ({@code FILE_CONTENT}, {@code uploadUrl} or {@code RECORD_URL}). The bytes are kept apart, by file id.
 */
public record RecordFile(int fileId, String name, long size, String sha256, String via, Instant attachedAt) {
}
