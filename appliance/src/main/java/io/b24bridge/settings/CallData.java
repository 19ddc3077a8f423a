package io.b24bridge.settings;

import java.net.URI;
import java.util.Objects;

/**
 * What the appliance tells Bitrix24 about each call and how.
 *
 * @param showCard           the caller's card pops up for the user whose phone rings (register SHOW)
 * @param addToChat          a message about the call in the employee's chat (finish ADD_TO_CHAT)
 * @param numberFormat       how client numbers are written to the CRM
 * @param countryCode        the country calling code of this PBX (7 for Russia), for E.164
 * @param nationalPrefix     the trunk prefix of national numbers (8 in Russia), stripped for E.164
 * @param areaCode           the city code prepended to local (short) numbers; empty = none
 * @param uploadRecordings   recordings are attached to the call in Bitrix24
 * @param recordingMode      UPLOAD: the file is sent to the box; URL: the box gets a link to the appliance
 * @param recordingBaseUrl   for URL mode: the appliance's address as the box reaches it
 * @param trackInternalCalls extension-to-extension calls are registered too (off: ignored)
 */
public record CallData(Boolean showCard, Boolean addToChat, NumberFormat numberFormat, String countryCode,
                       String nationalPrefix, String areaCode, Boolean uploadRecordings,
                       RecordingMode recordingMode, String recordingBaseUrl, Boolean trackInternalCalls)
        implements SectionValue {

    public static final CallData DEFAULT = new CallData(null, null, null, null, null, null, null, null, null, null);

    /** How a client's number is written to the CRM. */
    public enum NumberFormat {
        /** +74951234567 */
        E164,
        /** 84951234567 */
        NATIONAL,
        /** as the PBX gave it */
        AS_DIALLED
    }

    /** How recordings reach Bitrix24. */
    public enum RecordingMode { UPLOAD, URL }

    public CallData {
        showCard = Objects.requireNonNullElse(showCard, Boolean.TRUE);
        addToChat = Objects.requireNonNullElse(addToChat, Boolean.TRUE);
        numberFormat = Objects.requireNonNullElse(numberFormat, NumberFormat.E164);
        countryCode = countryCode == null || countryCode.isBlank() ? "7" : countryCode;
        nationalPrefix = nationalPrefix == null || nationalPrefix.isBlank() ? "8" : nationalPrefix;
        areaCode = areaCode == null || areaCode.isBlank() ? null : areaCode;
        uploadRecordings = Objects.requireNonNullElse(uploadRecordings, Boolean.TRUE);
        recordingMode = Objects.requireNonNullElse(recordingMode, RecordingMode.UPLOAD);
        recordingBaseUrl = recordingBaseUrl == null || recordingBaseUrl.isBlank() ? null : recordingBaseUrl;
        trackInternalCalls = Objects.requireNonNullElse(trackInternalCalls, Boolean.FALSE);
    }

    @Override
    public void validate(Problems p) {
        if (!countryCode.matches("[1-9][0-9]{0,2}")) {
            p.add("countryCode", "must be a country calling code: 1 to 3 digits, e.g. 7");
        }
        if (!nationalPrefix.matches("[0-9]{1,2}")) {
            p.add("nationalPrefix", "must be 1 or 2 digits, e.g. 8");
        }
        if (areaCode != null && !areaCode.matches("[0-9]{1,6}")) {
            p.add("areaCode", "must be 1 to 6 digits, e.g. 495");
        }
        if (uploadRecordings && recordingMode == RecordingMode.URL) {
            if (recordingBaseUrl == null) {
                p.add("recordingBaseUrl", "is required when recordingMode is URL");
            } else {
                try {
                    URI uri = URI.create(recordingBaseUrl);
                    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        p.add("recordingBaseUrl", "must be an https:// address the box can reach");
                    }
                } catch (IllegalArgumentException e) {
                    p.add("recordingBaseUrl", "is not a valid URL");
                }
            }
        }
    }
}
