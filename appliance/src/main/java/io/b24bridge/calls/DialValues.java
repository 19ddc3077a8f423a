package io.b24bridge.calls;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a value from outside (the CRM, an event) may hold before it meets a Dial() template. Asterisk substitutes
 * a channel variable before it splits Dial's arguments, so a {@code &} in a value adds a channel (an external
 * number rung with every call: toll fraud) and a {@code ,} adds arguments and options ({@code G()}, {@code U()}).
 * Only what an extension or a phone number is made of passes; everything else is refused, and the caller drops
 * the target and says so.
 */
public final class DialValues {

    /** An extension, as the settings take them (settings.Problems#extension). */
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,8}");
    /** How people write a phone number in a CRM field: digits, a leading +, spaces, dashes, dots, parentheses. */
    private static final Pattern WRITTEN_PHONE = Pattern.compile("\\+?[0-9 ().-]{1,40}");
    /** E.164 allows 15 digits; fewer than 5 is no number a trunk can reach. */
    private static final int MIN_DIGITS = 5;
    private static final int MAX_DIGITS = 15;
    /** A Bitrix24 line's number or code as an event names it (LINE_NUMBER): it reaches the dialplan as B24_LINE. */
    private static final Pattern LINE = Pattern.compile("[A-Za-z0-9+._:-]{0,64}");

    private DialValues() {
    }

    /** The extension as it may go into a dial string; empty when it is not 2 to 8 digits. */
    public static Optional<String> extension(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        return EXTENSION.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }

    /**
     * A phone number as written in a CRM field, checked: only digits and the usual writing characters, 5 to 15
     * digits. Returns it as written (stripped); the caller formats it ({@link PhoneNumbers}), which keeps digits
     * and a leading + only.
     */
    public static Optional<String> phone(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (!WRITTEN_PHONE.matcher(v).matches()) {
            return Optional.empty();
        }
        long digits = v.chars().filter(Character::isDigit).count();
        return digits >= MIN_DIGITS && digits <= MAX_DIGITS ? Optional.of(v) : Optional.empty();
    }

    /** Whether an event's LINE_NUMBER may go to the dialplan as B24_LINE (empty: the application's own line). */
    public static boolean line(String value) {
        return value != null && LINE.matcher(value).matches();
    }

    /** A value for a log line: at most 40 characters, control and format characters masked. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return out.toString();
    }
}
