package io.b24bridge.testkit.bitrix;

import java.util.regex.Pattern;

/**
 * Numbers as the box's own PHP treats them (box 26.250, yuliai/bitrix-modules@a3a2a579):
 * <ul>
 * <li>{@link #matchCode}: the CRM's duplicate match code, {@code DuplicateCommunicationCriterion::normalizePhone}
 * ({@code crm/lib/integrity/duplicatecommunicationcriterion.php:295-311}) over {@code NormalizePhone($v, 1)}
 * ({@code main/tools.php:4954-4992}). Two numbers are the same client only when their codes are equal: {@code 8}
 * becomes {@code 7} and {@code 00}/{@code 011}/{@code 0} prefixes go for numbers of 10 digits or more, but a
 * 10-digit number gets <em>no</em> 7 in front ({@code 9161110101} ≠ {@code +7 916 111-01-01}).</li>
 * <li>{@link #stripLetters}: {@code CVoxImplantPhone::stripLetters}, what register keeps as the call's CALLER_ID
 * ({@code voximplant/lib/rest/helper.php:89}) and compares exactly for a re-registration.</li>
 * </ul>
 */
final class PhoneNumbers {

    /** {@code (\d+)([;#]*)([\d,]*)} → {@code $1}: an extension after {@code ;} or {@code #} is not part of the code. */
    private static final Pattern EXTENSION = Pattern.compile("(\\d+)([;#]*)([\\d,]*)");

    private PhoneNumbers() {
    }

    /** The CRM's match code of a phone value; "" when it holds nothing to match. */
    static String matchCode(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String code = normalizePhone(value, 1);
        if (code == null || code.isEmpty()) {
            code = keep(value, "0123456789#*,;");
        }
        return EXTENSION.matcher(code).replaceAll("$1");
    }

    /** Whether two numbers have the same (non-empty) match code. */
    static boolean same(String a, String b) {
        String ca = matchCode(a);
        return !ca.isEmpty() && ca.equals(matchCode(b));
    }

    /** {@code NormalizePhone($number, $minLength)} of main/tools.php; null where PHP answers false. */
    static String normalizePhone(String number, int minLength) {
        if (minLength <= 0 || number.codePointCount(0, number.length()) < minLength) {
            return null;
        }
        if (number.codePointCount(0, number.length()) >= 10 && number.startsWith("+8")) {
            number = "00" + number.substring(1);
        }
        String n = keep(number, "0123456789#*,;");
        if (n.length() >= 10) {
            if (n.startsWith("80") || n.startsWith("81") || n.startsWith("82")) {
                return n;
            } else if (n.startsWith("00")) {
                n = n.substring(2);
            } else if (n.startsWith("011")) {
                n = n.substring(3);
            } else if (n.startsWith("8")) {
                n = "7" + n.substring(1);
            } else if (n.startsWith("0")) {
                n = n.substring(1);
            }
        }
        return n;
    }

    /** {@code CVoxImplantPhone::stripLetters}: digits and {@code # * + , ;}. */
    static String stripLetters(String number) {
        return number == null ? "" : keep(number, "0123456789#*+,;");
    }

    /** The extension part of a dialled number ({@code Parser::stripExtension}): what follows ;, #, "ext" or "доб". */
    static String extension(String number) {
        if (number == null) {
            return "";
        }
        String lower = number.toLowerCase(java.util.Locale.ROOT);
        int at = -1;
        int skip = 0;
        for (String sep : new String[] {";", "#", "ext.", "ext", "доб.", "доб"}) {
            int i = lower.indexOf(sep);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                skip = sep.length();
            }
        }
        return at < 0 ? "" : keep(number.substring(at + skip), "0123456789");
    }

    /**
     * PHONE_NUMBER_INTERNATIONAL of OnExternalCallStart: {@code Parser::parse($number)->format(E164)} with the
     * box's default country (Russia in the emulator): a national 8… or 10-digit number gets +7.
     */
    static String international(String number) {
        String digits = keep(number == null ? "" : number.replaceFirst("[;#].*$", ""), "0123456789");
        if (digits.isEmpty()) {
            return "";
        }
        if (digits.length() == 11 && digits.startsWith("8")) {
            return "+7" + digits.substring(1);
        }
        if (digits.length() == 10 && !number.strip().startsWith("+")) {
            return "+7" + digits;
        }
        return "+" + digits;
    }

    private static String keep(String s, String allowed) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (allowed.indexOf(c) >= 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
