package io.b24bridge.config;

import java.util.Arrays;

/**
 * A password, key or token. It prints as {@code ****} everywhere ({@link #toString()}), so passing one to a
 * log line, an exception message or a JSON document by mistake leaks nothing.
 */
public final class Secret {

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value.toCharArray());
    }

    public static Secret of(char[] value) {
        return new Secret(value.clone());
    }

    /** The secret itself: call only where it is handed to the thing that needs it. */
    public char[] reveal() {
        return value.clone();
    }

    /** The secret as a string: for APIs that take nothing else. */
    public String revealString() {
        return new String(value);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
