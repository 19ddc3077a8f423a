package io.b24bridge.settings;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A number, or an Asterisk dial pattern as telephony people write them: {@code _} then {@code X} (0-9),
 * {@code Z} (1-9), {@code N} (2-9), {@code [1-5]} (a set), {@code .} (one or more more), {@code !} (zero or
 * more), other characters literally. {@code 4951234567} matches itself only; {@code _495XXXXXXX} matches any
 * ten-digit number starting 495.
 */
public final class DialPattern {

    private final String text;
    private final Pattern regex;

    private DialPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** Compiles a pattern or a plain number; an invalid pattern throws (validate first). */
    public static DialPattern of(String text) {
        validate(text).ifPresent(reason -> {
            throw new IllegalArgumentException("'" + text + "' " + reason);
        });
        return new DialPattern(text, Pattern.compile(toRegex(text)));
    }

    public boolean matches(String number) {
        return number != null && regex.matcher(number).matches();
    }

    /** A plain number, not a pattern: it wins over patterns when both match. */
    public boolean isExact() {
        return !text.startsWith("_");
    }

    public String text() {
        return text;
    }

    /** Why {@code text} is not a valid pattern, or empty when it is. */
    public static Optional<String> validate(String text) {
        if (text == null || text.isEmpty() || text.equals("_")) {
            return Optional.of("is empty");
        }
        if (!text.startsWith("_")) {
            return text.matches("\\+?[0-9*#]+") ? Optional.empty()
                    : Optional.of("must be digits or a pattern starting with _");
        }
        String body = text.substring(1);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '[') {
                int close = body.indexOf(']', i);
                if (close < 0) {
                    return Optional.of("has '[' without ']'");
                }
                String set = body.substring(i + 1, close);
                if (set.isEmpty() || !set.matches("[0-9]([0-9]|-[0-9])*")) {
                    return Optional.of("has an invalid set [" + set + "]");
                }
                i = close;
            } else if ((c == '.' || c == '!') && i != body.length() - 1) {
                return Optional.of("may have '" + c + "' only at its end");
            } else if ("XZNxzn.!+*#".indexOf(c) < 0 && !Character.isDigit(c)) {
                return Optional.of("has '" + c + "', which dial patterns do not know");
            }
        }
        return Optional.empty();
    }

    private static String toRegex(String text) {
        if (!text.startsWith("_")) {
            return Pattern.quote(text);
        }
        StringBuilder re = new StringBuilder();
        String body = text.substring(1);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            switch (Character.toUpperCase(c)) {
                case 'X' -> re.append("[0-9]");
                case 'Z' -> re.append("[1-9]");
                case 'N' -> re.append("[2-9]");
                case '.' -> re.append(".+");
                case '!' -> re.append(".*");
                case '[' -> {
                    int close = body.indexOf(']', i);
                    re.append('[').append(body, i + 1, close).append(']');
                    i = close;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
