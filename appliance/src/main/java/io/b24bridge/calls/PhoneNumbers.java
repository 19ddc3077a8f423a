package io.b24bridge.calls;

import io.b24bridge.settings.CallData;

/**
 * Writes a client's number the way the CRM should see it (settings: call data). Bitrix24 matches numbers
 * best in one form: E.164 ({@code +74951234567}) unless the administrator chose otherwise.
 */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    public static String format(String raw, CallData settings) {
        if (raw == null) {
            return null;
        }
        String digits = raw.replaceAll("[^0-9]", "");
        boolean plus = raw.strip().startsWith("+");
        if (digits.isEmpty() || settings.numberFormat() == CallData.NumberFormat.AS_DIALLED) {
            return raw.strip();
        }
        String cc = settings.countryCode();
        String national = settings.nationalPrefix();
        String significant;   // the national significant number: no country code, no trunk prefix
        if (plus) {
            if (!digits.startsWith(cc)) {
                return "+" + digits;   // another country: kept whole
            }
            significant = digits.substring(cc.length());
        } else if (digits.startsWith("00") || (cc.equals("7") && digits.startsWith("810"))) {
            return "+" + digits.substring(digits.startsWith("00") ? 2 : 3);   // dialled with an international prefix
        } else if (digits.startsWith(cc) && digits.length() >= 11) {
            significant = digits.substring(cc.length());
        } else if (digits.startsWith(national) && digits.length() >= 11) {
            significant = digits.substring(national.length());
        } else if (digits.length() >= 10) {
            significant = digits;
        } else if (digits.length() <= 7 && settings.areaCode() != null) {
            significant = settings.areaCode() + digits;   // a local number
        } else {
            return digits;        // a short service number: as it is
        }
        return settings.numberFormat() == CallData.NumberFormat.E164 ? "+" + cc + significant : national + significant;
    }
}
