package io.b24bridge.testkit.bitrix;

/**
 * How the emulator decides that two numbers are the same client (§5.1, UNCONFIRMED exact rule): digits only;
 * an 11-digit number starting with 8 is the same as with 7 (Russian trunk prefix); a 10-digit number is taken as
 * the national part of a +7 number. Anything else compares by its digits.
 */
final class PhoneNumbers {

    private PhoneNumbers() {
    }

    static String key(String number) {
        if (number == null) {
            return "";
        }
        StringBuilder d = new StringBuilder();
        for (char c : number.toCharArray()) {
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        String digits = d.toString();
        if (digits.length() == 11 && digits.charAt(0) == '8') {
            return "7" + digits.substring(1);
        }
        if (digits.length() == 10) {
            return "7" + digits;
        }
        return digits;
    }

    static boolean same(String a, String b) {
        String ka = key(a);
        return !ka.isEmpty() && ka.equals(key(b));
    }

    /** {@code +<digits>} of the normalised number, for PHONE_NUMBER_INTERNATIONAL of events. */
    static String international(String number) {
        String k = key(number);
        return k.isEmpty() ? "" : "+" + k;
    }
}
