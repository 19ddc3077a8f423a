package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/** An application's external line (telephony.externalLine.*, §2). */
public record ExternalLine(int id, String number, String name, boolean crmAutoCreate, Instant createdAt) {
}
