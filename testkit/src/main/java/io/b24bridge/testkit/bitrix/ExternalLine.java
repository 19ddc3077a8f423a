package io.b24bridge.testkit.bitrix;

import java.time.Instant;

/**
 * An external line (telephony.externalLine.*, §2), owned by the application that added it or whose register
 * named it ({@code b_voximplant_external_line}, unique by owner and number: voximplant/lib/rest/helper.php:107-160,
 * 1376-1418).
 *
 * @param owner the REST_APP_ID: {@code app:<client_id>}, or {@code webhook} for every inbound webhook alike
 */
public record ExternalLine(int id, String owner, String number, String name, boolean crmAutoCreate, Instant createdAt) {
}
