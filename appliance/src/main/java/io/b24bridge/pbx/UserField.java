package io.b24bridge.pbx;

/**
 * What the product's dialplan writes into a call's CDR userfield (docs/asterisk/b24bridge.conf,
 * {@code b24bridge-tap} and {@code b24bridge-outbound-tap}): {@code b24did=<DID>|b24rec=<recording>}. Plain
 * Asterisk's CDR has no DID column; this is how a call the appliance never saw keeps its DID (and its recording)
 * for the reconciliation. Anything else in the field is left alone.
 */
final class UserField {

    private UserField() {
    }

    static String did(String userfield) {
        return value(userfield, "b24did");
    }

    static String recording(String userfield) {
        return value(userfield, "b24rec");
    }

    private static String value(String userfield, String key) {
        if (userfield == null || userfield.isBlank()) {
            return null;
        }
        for (String part : userfield.split("\\|")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(key)) {
                String v = part.substring(eq + 1).strip();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }
}
